{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "212f293c9fcc637f7d2b7a895df13c61",
  "fingerprint": "212f293c9fcc637f7d2b7a895df13c611410bb2789b021c669a312596d5952fe",
  "signature": "//UDN/TopJGfM/DdUPkpb75lMiZFEzncIECdW9KBSofPTzCzVyrX/zDz8BCj5PcrnCK6CPSnaqG54byMONgBBQ==",
  "sha256": "d29f244adcbf8ecdb03eece2629d1e4b04c0b28081d0d22d9d45854e33103440",
  "bytes": 1353319,
  "signedAt": "2026-12-06T10:10:33.359Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAKu7Juxc8U+AVfGb1pSTOUcc0Ld4naD8iGdyqq7x7SfI=\n-----END PUBLIC KEY-----\n"
}
