{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "acc04b82ec3e5888343540d380254718",
  "fingerprint": "acc04b82ec3e5888343540d380254718f667d4650d097a5e4aa6a7fe0deebace",
  "signature": "U+KO5JwfVxN2vGhsaLf/muRoLhifwbhm6mdKV16KuNCvotcTgge+4C6i3tol5Xx1z9FL+g3B8ZP1DKEdTQ3lAQ==",
  "sha256": "dbecae64749fa601831f82e69d8c2ca03baa64f290e5752f1470e5257f44f4c5",
  "bytes": 569996,
  "signedAt": "2026-12-06T20:13:57.046Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAr0+drqzY/BKnVc9QBBS1CFVBYJyXXf8q52QUL+2pRYc=\n-----END PUBLIC KEY-----\n"
}
