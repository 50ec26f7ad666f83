{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "acc04b82ec3e5888343540d380254718",
  "fingerprint": "acc04b82ec3e5888343540d380254718f667d4650d097a5e4aa6a7fe0deebace",
  "signature": "W5q02Bm/NZEQJpACzV1IUuGpMDp6ZjvkcyqNA4kMu7X3j6hRm3Mwyci6itpo9wwf6fZgdVGo1seSx9dMLwkoAQ==",
  "sha256": "c17cab5cae1274e4e212d24bfa45068b31a34f3fb83d2d55d98761f2c729723a",
  "bytes": 1441978,
  "signedAt": "2026-12-06T20:13:57.186Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAr0+drqzY/BKnVc9QBBS1CFVBYJyXXf8q52QUL+2pRYc=\n-----END PUBLIC KEY-----\n"
}
