import { QueryView } from '@/components/paged-table';
import { Term } from '@/components/term';
import { PUBLIC_KEY_JSON_URL, PUBLIC_KEY_PEM_URL, useReportPublicKey } from '../api/get-public-key';

/** The key that signs reports and audit checkpoints: its fingerprint is what a reader pins when verifying. */
export function SigningKeyPanel() {
  return (
    <QueryView query={useReportPublicKey()} loading="Loading the signing key…">
      {(key) => (
        <>
          <dl className="refs">
            <div>
              <dt>Fingerprint (SHA-256)</dt>
              <dd className="mono small" data-testid="signing-key-fingerprint">
                {key.fingerprint}
              </dd>
            </div>
            <Term term="Key id" className="mono small">
              {key.keyId}
            </Term>
            <Term term="Algorithm" className="mono">
              {key.algorithm}
            </Term>
          </dl>
          <p className="small muted">
            Every report names this fingerprint. Anyone can check a report against it, offline:{' '}
            <code>plumbline verify REPORT --key-fingerprint {key.fingerprint}</code>.{' '}
            <a href={PUBLIC_KEY_PEM_URL} download="plumbline-report-key.pem">
              Public key (PEM)
            </a>
            , <a href={PUBLIC_KEY_JSON_URL}>as JSON</a>.
          </p>
        </>
      )}
    </QueryView>
  );
}
