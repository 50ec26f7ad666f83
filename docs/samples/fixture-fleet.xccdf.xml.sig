{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "0fdcef5e21ff8079deff82a76919a4f1",
  "fingerprint": "0fdcef5e21ff8079deff82a76919a4f16f5477129c1e81b5bf8ab5eb7599890a",
  "signature": "knilbw4UE7F3ZrOUDBBeF1byDJ1a4ADsWME9RFK1suofNCOVtDEpQyEd+sl5wHUwo7AE+GT4c3DQkkM/IXY6AQ==",
  "sha256": "83ecf07445563b6deb3a988209056dd7053ef6fc8450ec8662acc88cb6644393",
  "bytes": 1441978,
  "signedAt": "2026-12-06T19:59:02.365Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAS7nW/8r0jHYrGQ9KYk2t9zEi4SiGWDZHy4HHcwrHBo4=\n-----END PUBLIC KEY-----\n"
}
