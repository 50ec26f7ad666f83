{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "49e92a19149238a94fe170cca814784f",
  "fingerprint": "49e92a19149238a94fe170cca814784fdb6f47f646b30092d1d75c0b4f25ac2a",
  "signature": "+8vaDD/joO950fWP+vZ7SB04C0Fn9uCMcUeLywDDR74flnU1KUt2AqPn9hwhNmc3TK/RvQK03rlqppuevSPdBw==",
  "sha256": "3c62bf1776de49816c6af7a9bedc16acb6903d24ec91336a6a2a54be5a37d1b5",
  "bytes": 541568,
  "signedAt": "2026-12-06T09:52:49.118Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAvTqtz/zHk8ux6wGBNYk17S3Vv3tuBagyI0bgKMMUCIE=\n-----END PUBLIC KEY-----\n"
}
