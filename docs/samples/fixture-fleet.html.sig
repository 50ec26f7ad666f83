{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "3b218d12c9cfc20e38cef6a7bdb7977c",
  "fingerprint": "3b218d12c9cfc20e38cef6a7bdb7977cd28837daaedc4f2798e70dad6566656b",
  "signature": "Uw/8fXj7JG+8NWMVeeo4xDoJBTAEVoDb6Jdz3MbR2M3TXQbLLBhBC57+9hPhmyWNGmLctj9Wlr8XUKucjLU8CA==",
  "sha256": "bbdc796393889889790533bff6f58d48c2f356ff9f162353ecf058dba2ae38cf",
  "bytes": 471096,
  "signedAt": "2026-11-22T03:45:21.587Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAHxFiSX1sVaHsZCvZ+gSkMB8Qjo8pkOKt/YWLS1mOciM=\n-----END PUBLIC KEY-----\n"
}
