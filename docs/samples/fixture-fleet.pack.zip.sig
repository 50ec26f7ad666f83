{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "0fdcef5e21ff8079deff82a76919a4f1",
  "fingerprint": "0fdcef5e21ff8079deff82a76919a4f16f5477129c1e81b5bf8ab5eb7599890a",
  "signature": "WB/mVdCJaKZX+yX9++turnH/gD7oyeFP7sTl1RnA+kRpB3GdQHkQRB8VfXGE0C5Nm+PsXfnPjRZyPDPn8DQXAQ==",
  "sha256": "9d917b40c1129260f6fe44ab1c0cbf4f892327c93e0c68b7362be90fa3181647",
  "bytes": 821863,
  "signedAt": "2026-12-06T19:59:03.594Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAS7nW/8r0jHYrGQ9KYk2t9zEi4SiGWDZHy4HHcwrHBo4=\n-----END PUBLIC KEY-----\n"
}
