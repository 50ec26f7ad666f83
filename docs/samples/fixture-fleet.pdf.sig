{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "212f293c9fcc637f7d2b7a895df13c61",
  "fingerprint": "212f293c9fcc637f7d2b7a895df13c611410bb2789b021c669a312596d5952fe",
  "signature": "aOBElyx2lNc+jjbUCT9xBsml3R47lVOuZUc3Kt/JBEALNDyDHWC9jv9O662618v6pgGj6B7zdH44PeyU7mAjCg==",
  "sha256": "d1e0feeba09b9d44a3739f81644725d6c9f04cae0a8b4daaa627c5deb4dd7dbd",
  "bytes": 813138,
  "signedAt": "2026-12-06T10:10:32.073Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAKu7Juxc8U+AVfGb1pSTOUcc0Ld4naD8iGdyqq7x7SfI=\n-----END PUBLIC KEY-----\n"
}
