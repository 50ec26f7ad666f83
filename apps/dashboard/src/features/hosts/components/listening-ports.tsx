import type { ListeningSocket } from '@plumbline/protocol/facts';
import type { ResultItem } from '@plumbline/protocol/api';
import { EmptyState } from '@/components/states';
import { Section } from '@/components/section';

function sortSockets(sockets: ListeningSocket[]): ListeningSocket[] {
  return [...sockets].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol) || a.address.localeCompare(b.address));
}

function Cell({ value }: { value: string | number | null }) {
  return value === null || value === '' ? <span className="muted">—</span> : <>{value}</>;
}

/** The rule that judges listeners against the group's allow-list. */
export const LISTENER_RULE = 'plb-svc-approved-listeners';

/**
 * Allowed or not, as the allow-list rule judged it: its evidence names each unexpected
 * listener ("unexpected tcp 0.0.0.0:2222"). Null when the rule was not evaluated.
 */
export function allowedOf(s: ListeningSocket, rule: ResultItem | undefined): boolean | null {
  if (!rule || (rule.status !== 'pass' && rule.status !== 'fail')) return null;
  if (rule.status === 'pass') return true;
  const observed = rule.evidence.map((e) => e.observed).join('\n');
  const forms = [`${s.address}:${s.port}`, `[${s.address}]:${s.port}`];
  return !forms.some((f) => observed.includes(`${s.protocol} ${f}`));
}

function Allowed({ value }: { value: boolean | null }) {
  if (value === null) return <span className="muted">—</span>;
  return <span className={`badge badge-${value ? 'ok' : 'bad'}`}>{value ? 'Allowed' : 'Not allowed'}</span>;
}

export function ListeningPorts({ sockets, error, rule }: { sockets: unknown; error: boolean; rule?: ResultItem | undefined }) {
  const list = Array.isArray(sockets) ? sortSockets(sockets as ListeningSocket[]) : null;
  const judged = rule !== undefined && (rule.status === 'pass' || rule.status === 'fail');
  return (
    <Section title="Listening ports" meta={list ? `${list.length}` : undefined}>
      {list === null ? (
        <EmptyState title={error ? 'Listening sockets could not be collected' : 'No socket data reported yet'} />
      ) : list.length === 0 ? (
        <EmptyState title="No listening sockets" />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Protocol</th>
                <th scope="col">Address</th>
                <th scope="col" className="num">
                  Port
                </th>
                <th scope="col">Process</th>
                <th scope="col">Unit</th>
                <th scope="col">Package</th>
                {judged ? <th scope="col">Allow-list</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={`${s.protocol}-${s.address}-${s.port}-${s.inode}`}>
                  <td className="mono">{s.protocol}</td>
                  <td className="mono">{s.address}</td>
                  <td className="mono num">{s.port}</td>
                  <td className="mono" title={s.executable ?? undefined}>
                    <Cell value={s.process} />
                    {s.pid !== null ? <span className="muted small"> ({s.pid})</span> : null}
                  </td>
                  <td className="mono">
                    <Cell value={s.unit} />
                  </td>
                  <td className="mono">
                    <Cell value={s.package} />
                  </td>
                  {judged ? (
                    <td>
                      <Allowed value={allowedOf(s, rule)} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          {judged && rule.evidence[0] ? (
            <p className="small muted table-note">Allowed: {rule.evidence[0].expected.replace(/^only allow-listed listeners: /, '')}</p>
          ) : null}
        </div>
      )}
    </Section>
  );
}
