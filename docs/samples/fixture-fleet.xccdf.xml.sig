{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "6d48b25a74ec372e5925f09320c6c3f1",
  "fingerprint": "6d48b25a74ec372e5925f09320c6c3f13765f6c4e8222dea734980137d905933",
  "signature": "XgCBsAGTgbVkQ+vZU1TSrgUscDu0Yl1SbtP8fDhl7zSLQ7C/XKS2qpododEjg/KKy2mxI6PDMlfbLmCcMxytAQ==",
  "sha256": "8eb5cae873e30952af87a7fe64c25f19d1a614376121421a708c650b47dcd42f",
  "bytes": 1353319,
  "signedAt": "2026-12-06T10:29:11.692Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEALaNfDTLPsk64F8GYiYfeXZg971Gn17SwtuBINHbKiQw=\n-----END PUBLIC KEY-----\n"
}
