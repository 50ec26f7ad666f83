{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "635cd2e6ab5cd6298a6159e91f753646",
  "fingerprint": "635cd2e6ab5cd6298a6159e91f753646dfc42d1c840c15ab4a9e4a713ef92caf",
  "signature": "EI/SVATElkIrFjTsktTJx8Q7RO7T9xaPAZXtVgeLm3MAQLrGyvTW41ABNdG337IaK14vgCuSPqCIyCuztz61Bw==",
  "sha256": "23475b816c4944ef3869fa4cfecc87c8745e85d2f4a48e62ebb58bf3d8ea3ae4",
  "bytes": 508939,
  "signedAt": "2026-12-06T13:12:50.292Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAVHICX7RpJX9qpFOjf2436xuMUnLLhf9j7TmBVnJH3tA=\n-----END PUBLIC KEY-----\n"
}
