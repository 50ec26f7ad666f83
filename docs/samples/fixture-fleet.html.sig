{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "6d48b25a74ec372e5925f09320c6c3f1",
  "fingerprint": "6d48b25a74ec372e5925f09320c6c3f13765f6c4e8222dea734980137d905933",
  "signature": "gZScsfPAsRMyCkSW6r/gIpyMCYMuzyaqskj0N43/1DmNFxzRPB6TuyH21KaQcTlFaJC7ggP1E2/kGfKOk9d4Ag==",
  "sha256": "093f093a097fc87ed7e0e301b41f4a7068d37984d11cda1443325ae49256833b",
  "bytes": 541568,
  "signedAt": "2026-12-06T10:29:10.831Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEALaNfDTLPsk64F8GYiYfeXZg971Gn17SwtuBINHbKiQw=\n-----END PUBLIC KEY-----\n"
}
