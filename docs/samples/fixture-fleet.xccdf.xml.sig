{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "635cd2e6ab5cd6298a6159e91f753646",
  "fingerprint": "635cd2e6ab5cd6298a6159e91f753646dfc42d1c840c15ab4a9e4a713ef92caf",
  "signature": "Um64RHPYp19tIDIr+s7moGexM3igBgUKLVasVnV6aVdpH1g8JxdC/I7d1lTXX5QfNnRyNzuL1zRN30A5EMpsAA==",
  "sha256": "0647ed34c80d79232118a0b2775503f7ecb887841b640d7b82550be6509ee9c1",
  "bytes": 1353319,
  "signedAt": "2026-12-06T13:12:52.170Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAVHICX7RpJX9qpFOjf2436xuMUnLLhf9j7TmBVnJH3tA=\n-----END PUBLIC KEY-----\n"
}
