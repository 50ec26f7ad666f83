{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "0fdcef5e21ff8079deff82a76919a4f1",
  "fingerprint": "0fdcef5e21ff8079deff82a76919a4f16f5477129c1e81b5bf8ab5eb7599890a",
  "signature": "NIKAaVWE4PsHf0YQNyQFK8gc3mKKapydEPMGCo84BhFQ7uftqYFMpTiFKAU6/tTyKswKc/s1ZvP8SZ1MVeBACA==",
  "sha256": "0d5385fe7909e9e5d8a89ff957ccbcef6a1910f73aa22a2073dcdb873817d957",
  "bytes": 544510,
  "signedAt": "2026-12-06T19:59:02.072Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAS7nW/8r0jHYrGQ9KYk2t9zEi4SiGWDZHy4HHcwrHBo4=\n-----END PUBLIC KEY-----\n"
}
