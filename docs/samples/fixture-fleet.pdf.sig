{
  "format": "plumbline-report-signature",
  "version": 1,
  "algorithm": "ed25519-sha512",
  "keyId": "3b218d12c9cfc20e38cef6a7bdb7977c",
  "fingerprint": "3b218d12c9cfc20e38cef6a7bdb7977cd28837daaedc4f2798e70dad6566656b",
  "signature": "Bymw5n9P2ruIDrekRmW26hRif64FBD6qeno/Tfnm1YR5tIkUc1NxLQrwFnJPrihRTGiXgB1Gjz1MlLW70HiXDw==",
  "sha256": "2c5bbf22f497c766029d63462e506f5109ed693a32039e3baaea2f2408e066ad",
  "bytes": 130425,
  "signedAt": "2026-11-22T03:45:28.620Z",
  "publicKey": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAHxFiSX1sVaHsZCvZ+gSkMB8Qjo8pkOKt/YWLS1mOciM=\n-----END PUBLIC KEY-----\n"
}
