{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "acc04b82ec3e5888343540d380254718",
  "fingerprint": "acc04b82ec3e5888343540d380254718f667d4650d097a5e4aa6a7fe0deebace",
  "signature": "0v64uAZj6ni7Sa7IQFjKqfsMY5T1Xr6RUd8rlvdgAvGtSYtdNzDvvRkrwGEFZVCG2fXZk59kxArb/Sgpq+oRDg==",
  "sha256": "9d4a636fefd26b9e84a77e06ee2a45f6da084a58b4ffdcd971b43c54c255a8a9",
  "bytes": 544495,
  "signedAt": "2026-12-06T20:13:56.962Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAr0+drqzY/BKnVc9QBBS1CFVBYJyXXf8q52QUL+2pRYc=\n-----END PUBLIC KEY-----\n"
}
