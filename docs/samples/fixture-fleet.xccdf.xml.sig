{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "49e92a19149238a94fe170cca814784f",
  "fingerprint": "49e92a19149238a94fe170cca814784fdb6f47f646b30092d1d75c0b4f25ac2a",
  "signature": "zXnELi0PEu4Ta5SVhIT8vDfo6bvtFDd7cFiNrWVV5zlcSmjtm/fsifeWc68iFltDxym501NquudITRcq0cF2BQ==",
  "sha256": "a43fb7924e154fe7b615193eb72045f3809b840a582a73ab2940e233502e4074",
  "bytes": 1353319,
  "signedAt": "2026-12-06T09:52:49.802Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAvTqtz/zHk8ux6wGBNYk17S3Vv3tuBagyI0bgKMMUCIE=\n-----END PUBLIC KEY-----\n"
}
