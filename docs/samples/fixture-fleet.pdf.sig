{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "49e92a19149238a94fe170cca814784f",
  "fingerprint": "49e92a19149238a94fe170cca814784fdb6f47f646b30092d1d75c0b4f25ac2a",
  "signature": "Xuozy1sVohU23qQJnom2jsICnkT0mlH2EsZNnBR4aHcDqXtBr6RBYvR9SRs1aSEGL6/cAWq5SMSX5U4fjg50CQ==",
  "sha256": "9312ebfcbbfd7a2acb324bb3d4929030a0de38dc4f9c83c624f8c5d96148baf5",
  "bytes": 812802,
  "signedAt": "2026-12-06T09:52:48.865Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAvTqtz/zHk8ux6wGBNYk17S3Vv3tuBagyI0bgKMMUCIE=\n-----END PUBLIC KEY-----\n"
}
