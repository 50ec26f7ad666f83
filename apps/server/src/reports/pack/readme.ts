import type { AuditSliceHeader, Manifest, ManifestFile } from './format';
import { PackPath } from './format';

/** The pack's README.txt: what is in it and how to check it offline, with Plumbline or with standard tools. */
export function packReadme(m: Omit<Manifest, 'files'> & { files: ManifestFile[]; slice: AuditSliceHeader; registered: number }): string {
  const reports = m.reports.map((r) => `  ${r.path}  (${r.format}; signature: ${r.path}.sig)`).join('\n');
  return `PLUMBLINE EVIDENCE PACK
=======================

Scope:          ${m.scope}${m.profile ? `\nProfile:        ${m.profile}` : ''}${m.framework ? `\nFramework:      ${m.framework}` : ''}
Report time:    ${m.asOf}${m.pointInTime ? ' (point in time, from the stored history)' : ''}
Generated:      ${m.generatedAt}
Waivers:        ${m.waivers ? 'applied' : 'ignored'} (${m.registered} in the register for the period)
Period:         ${m.period.from} to ${m.period.to} (audit trail and waiver register)
Signing key:    ${m.keyId}
Fingerprint:    SHA-256 ${m.fingerprint}

Compare that fingerprint with the one your organisation's Plumbline dashboard shows
(Reports page) or that you were given out of band. A pack only proves something if the
key that signed it is one you already trust: the copy of the key inside this pack is a
convenience, not a proof.

CONTENTS

${reports}
  ${PackPath.waiversJson}, ${PackPath.waiversCsv}
      every waiver that existed during the period: rule or CVE, scope, justification,
      who requested it, who approved it and when, expiry, revocation, and its
      status at the report time
  ${PackPath.auditEntries}
      the audit trail entries of the period (${m.slice.entries}), hash-chained, from the entry after
      #${m.slice.prevSeq} (hash ${m.slice.prevHash.slice(0, 16)}...) to #${m.slice.sealedBy.seq}
  ${PackPath.auditSlice}
      where the slice starts in the chain and the checkpoint that seals its end
  ${PackPath.auditCheckpoints}
      signed checkpoints of the chain's head (the last one made for this pack)
  ${PackPath.publicKey}, ${PackPath.fingerprint}
      the server's report-signing public key (Ed25519) and its fingerprint
  ${PackPath.sums}
      SHA-256 of every file but the manifest (sha256sum -c format)
  ${PackPath.manifest}
      the same hashes and the pack's facts as JSON, signed in ${PackPath.manifestSig}

VERIFY IN ONE STEP (with the plumbline command, no server needed)

  plumbline verify PACK.zip --key-fingerprint ${m.fingerprint}

or, beside the server (it then trusts the server's own key), just
  plumbline verify PACK.zip

It checks the manifest's signature against the trusted key, every file's SHA-256 and size,
that no file was added or removed, every report's signature, and the audit slice: each
entry's hash and link to the one before, and each checkpoint's signature and match with the
chain. Exit 0: valid; 1: altered or signed by another key (the first bad file is named);
2: not a readable pack.

VERIFY BY HAND (standard tools)

1. The manifest's signature (Ed25519 over the SHA-512 digest of ${PackPath.manifest}),
   with your trusted copy of the public key, trusted.pub:
     openssl dgst -sha512 -binary ${PackPath.manifest} > manifest.sha512
     python3 -c 'import json,base64,sys; sys.stdout.buffer.write(base64.b64decode(json.load(open("${PackPath.manifestSig}"))["signature"]))' > manifest.sig.bin
     openssl pkeyutl -verify -pubin -inkey trusted.pub -rawin -in manifest.sha512 -sigfile manifest.sig.bin
2. Every file against the manifest (the manifest lists the same hashes as ${PackPath.sums}):
     sha256sum -c ${PackPath.sums}
   and check that ${PackPath.sums} matches the "files" of ${PackPath.manifest}.
3. Each report's .sig is checked the same way as step 1.
4. Each audit entry's hash is SHA-256 of: previous hash, a newline, then the canonical JSON
   (keys sorted, no spaces) of {"action","actor","at","details","target"}.
`;
}
