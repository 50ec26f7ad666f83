{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "635cd2e6ab5cd6298a6159e91f753646",
  "fingerprint": "635cd2e6ab5cd6298a6159e91f753646dfc42d1c840c15ab4a9e4a713ef92caf",
  "signature": "mLTxzazfoYOdQWa/4Pf6M6egszbtKR/dzUbE5q3+J54bk5Bm0Gx2+D8ei2j/Komvb2a1OzTv0iVSRrFCoDwCBA==",
  "sha256": "f13b19eb5cae583c444c545bed8dcd26b7242044274f49ce7ed77c056e95c7b4",
  "bytes": 767324,
  "signedAt": "2026-12-06T13:12:59.407Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAVHICX7RpJX9qpFOjf2436xuMUnLLhf9j7TmBVnJH3tA=\n-----END PUBLIC KEY-----\n"
}
