{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "6d48b25a74ec372e5925f09320c6c3f1",
  "fingerprint": "6d48b25a74ec372e5925f09320c6c3f13765f6c4e8222dea734980137d905933",
  "signature": "S52/HmZERLkTXZgWqGtrIoE7Q/sqFrBNEdEpDG2cNqDt/GGi6E9wCnbCvMVMTNB76K7/VqJ0N0RYrQCBNMrfBg==",
  "sha256": "f1e04988dbc6948397ab6f43150ea913dfda594d81e62b369dffdf569097c0c3",
  "bytes": 784415,
  "signedAt": "2026-12-06T10:29:10.149Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEALaNfDTLPsk64F8GYiYfeXZg971Gn17SwtuBINHbKiQw=\n-----END PUBLIC KEY-----\n"
}
