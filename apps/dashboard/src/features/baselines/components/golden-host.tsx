import { Link } from 'react-router';
import { MutationError } from '@/components/form';
import { errorMessage } from '@/lib/api-client';
import { useGoldenHost } from '../api/get-golden-host';
import { useSetGoldenHost } from '../api/set-golden-host';

/** Which host is the group's golden host, and (for writers) making this host it. */
export function GoldenHostLine({ host, group, canSet }: { host: { id: string; hostname: string }; group: string; canSet: boolean }) {
  const golden = useGoldenHost(group);
  const set = useSetGoldenHost(group);
  if (golden.isPending) return <p className="muted small">Loading the golden host of {group}…</p>;
  if (golden.isError)
    return (
      <p role="alert">
        Could not load the golden host of {group}: {errorMessage(golden.error)}
      </p>
    );
  const g = golden.data;
  const isThis = g?.hostId === host.id;
  return (
    <div className="baseline-golden">
      <p>
        {g ? (
          <>
            Golden host of group <strong>{group}</strong>:{' '}
            {isThis ? <strong>this host</strong> : <Link to={`/hosts/${encodeURIComponent(g.hostId)}`}>{g.hostname}</Link>}
            {g.hasBaseline ? null : <span className="muted"> (no approved baseline yet)</span>}
          </>
        ) : (
          <>
            Group <strong>{group}</strong> has no golden host.
          </>
        )}
      </p>
      {canSet && !isThis ? (
        <button
          type="button"
          className="btn btn-small"
          disabled={set.isPending}
          onClick={() => {
            if (
              window.confirm(
                `Make ${host.hostname} the golden host of ${group}? Members without a baseline of their own are compared to its approved baseline.`,
              )
            )
              set.mutate(host.id);
          }}
        >
          Make this the golden host of {group}
        </button>
      ) : null}
      <MutationError mutation={set} />
    </div>
  );
}
