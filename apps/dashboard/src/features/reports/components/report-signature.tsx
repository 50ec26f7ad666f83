import { CodeBlock } from '@/components/copy-button';
import { ErrorState, LoadingState } from '@/components/states';
import { Term } from '@/components/term';
import { formatCount } from '@/lib/format';
import { saveBlob, type DownloadedReport } from '../api/download-report';
import { PUBLIC_KEY_JSON_URL, PUBLIC_KEY_PEM_URL, useReportPublicKey } from '../api/get-public-key';
import { signatureFileOf } from '../utils/report-form';

/** What proves the downloaded report is the one the server signed, and how to check it. */
export function ReportSignature({ report }: { report: DownloadedReport }) {
  const key = useReportPublicKey();
  const matches = key.data && report.keyId ? key.data.keyId === report.keyId : null;
  const sigName = `${report.filename}.sig`;
  return (
    <section className="secret report-signature" aria-labelledby="report-signature-title">
      <h3 id="report-signature-title">
        Downloaded <span className="mono">{report.filename}</span>
      </h3>
      <dl className="refs">
        <Term term="Size">{formatCount(report.bytes)} bytes</Term>
        {report.sha256 ? (
          <Term term="SHA-256" className="mono small">
            {report.sha256}
          </Term>
        ) : null}
        <Term term="Algorithm" className="mono">
          {report.algorithm ?? '—'}
        </Term>
        <Term term="Signing key" className="mono small">
          {report.keyId ?? '—'}
          {matches === true ? <span className="badge badge-ok"> this server's key</span> : null}
          {matches === false ? <span className="badge badge-bad"> not this server's current key</span> : null}
        </Term>
      </dl>
      {report.signature ? (
        <CodeBlock code={report.signature} label="Signature (X-Plumbline-Signature, base64)" />
      ) : (
        <p className="form-error" role="alert">
          The server sent no signature header with this report.
        </p>
      )}
      {key.isPending ? (
        <LoadingState label="Loading the server's public key…" />
      ) : key.isError ? (
        <ErrorState title="Could not load the public key" error={key.error} onRetry={() => void key.refetch()} />
      ) : (
        <>
          <p className="small">
            Public key fingerprint <span className="mono">{key.data.fingerprint}</span>:{' '}
            <a href={PUBLIC_KEY_PEM_URL} download="plumbline-report-key.pem">
              download the public key (PEM)
            </a>{' '}
            or <a href={PUBLIC_KEY_JSON_URL}>view it as JSON</a>.
          </p>
          <div className="form-actions">
            {report.signature && report.algorithm && report.keyId ? (
              <button
                type="button"
                className="btn btn-small"
                onClick={() =>
                  saveBlob(
                    new Blob(
                      [
                        signatureFileOf(
                          {
                            signature: report.signature!,
                            algorithm: report.algorithm!,
                            keyId: report.keyId!,
                            sha256: report.sha256,
                            bytes: report.bytes,
                          },
                          key.data,
                          new Date(),
                        ),
                      ],
                      {
                        type: 'application/json',
                      },
                    ),
                    sigName,
                  )
                }
              >
                Save the signature file ({sigName})
              </button>
            ) : null}
          </div>
          <p className="small muted">
            With the signature file beside the report, check it was not changed and that this server signed it (the fingerprint pins the
            key, so the check works anywhere):
          </p>
          <CodeBlock code={`plumbline verify ${report.filename} --key-fingerprint ${key.data.fingerprint}`} label="Verify command" />
        </>
      )}
    </section>
  );
}
