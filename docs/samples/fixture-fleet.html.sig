{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "212f293c9fcc637f7d2b7a895df13c61",
  "fingerprint": "212f293c9fcc637f7d2b7a895df13c611410bb2789b021c669a312596d5952fe",
  "signature": "RCdJ8RevhzJi7yYOaADr4DWOFHGETZP1YUXb7s0MwZjX5GITAQc7oDXkZ2Rogc+fD2MfhBUEfOPfDStTbr40Dg==",
  "sha256": "6305be3858ef2cf9111d0a72d3ab1fc2b4a31c175acec8af1ac77bb325b1b4c2",
  "bytes": 541568,
  "signedAt": "2026-12-06T10:10:32.475Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAKu7Juxc8U+AVfGb1pSTOUcc0Ld4naD8iGdyqq7x7SfI=\n-----END PUBLIC KEY-----\n"
}
