{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "635cd2e6ab5cd6298a6159e91f753646",
  "fingerprint": "635cd2e6ab5cd6298a6159e91f753646dfc42d1c840c15ab4a9e4a713ef92caf",
  "signature": "HIr9koBLXQ1y4OHjXxiQHUbMPFZHAgdwFwpuYZTHbK49OALX3HbR6i0Su+yaSNDhCppnKPzhnpg3EcJYmww9DQ==",
  "sha256": "a7db8b964710a52c222acc579487ce7ffcaba74ef68a09210307ca70039177dc",
  "bytes": 541691,
  "signedAt": "2026-12-06T13:12:51.147Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAVHICX7RpJX9qpFOjf2436xuMUnLLhf9j7TmBVnJH3tA=\n-----END PUBLIC KEY-----\n"
}
