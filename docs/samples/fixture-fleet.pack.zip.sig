{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "acc04b82ec3e5888343540d380254718",
  "fingerprint": "acc04b82ec3e5888343540d380254718f667d4650d097a5e4aa6a7fe0deebace",
  "signature": "3oam3PyHbd8FFwe/uVjzk/yNaMunw3rkcZg0hfDYfwVzv2Bwerg+OWq8xu6dO0ReEXQTfjAiNyXdNqWsemiQDA==",
  "sha256": "8771e9fc98e6583b9394c064f98689cd3e69be09fad704c27f87d201a13d9eeb",
  "bytes": 821932,
  "signedAt": "2026-12-06T20:13:58.164Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAr0+drqzY/BKnVc9QBBS1CFVBYJyXXf8q52QUL+2pRYc=\n-----END PUBLIC KEY-----\n"
}
