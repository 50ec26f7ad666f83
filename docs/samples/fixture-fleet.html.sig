{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "0fdcef5e21ff8079deff82a76919a4f1",
  "fingerprint": "0fdcef5e21ff8079deff82a76919a4f16f5477129c1e81b5bf8ab5eb7599890a",
  "signature": "HD+GYVsuY86Yzjag8awTJTaQ1rmK7znsNH0VJOPaV0M9bclYNvIA/tX9Z8hv2SHCEB0cDolFHrtMIyhf0lBkDQ==",
  "sha256": "0525c77ec4eceb37845f428233576f083b5ad4b32b828941ed540c5e2a9b5305",
  "bytes": 568169,
  "signedAt": "2026-12-06T19:59:02.187Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAS7nW/8r0jHYrGQ9KYk2t9zEi4SiGWDZHy4HHcwrHBo4=\n-----END PUBLIC KEY-----\n"
}
