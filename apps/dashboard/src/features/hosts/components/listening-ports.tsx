import type { ListeningSocket } from '@plumbline/protocol/facts';
import type { ResultItem } from '@plumbline/protocol/api';
import { Dash } from '@/components/cells';
import { column, DataTable, type Column } from '@/components/data-table';
import { EmptyState } from '@/components/states';
import { Section } from '@/components/section';

function sortSockets(sockets: ListeningSocket[]): ListeningSocket[] {
  return [...sockets].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol) || a.address.localeCompare(b.address));
}

const orDash = (value: string | null) => (value === null || value === '' ? <Dash /> : value);
const socketKey = (s: ListeningSocket) => `${s.protocol}-${s.address}-${s.port}-${s.inode}`;

const columns: Column<ListeningSocket>[] = [
  column('Protocol', (s) => s.protocol, { className: 'mono' }),
  column('Address', (s) => s.address, { className: 'mono' }),
  column('Port', (s) => s.port, { num: true, className: 'mono' }),
  column(
    'Process',
    (s) => (
      <span title={s.executable ?? undefined}>
        {orDash(s.process)}
        {s.pid !== null ? <span className="muted small"> ({s.pid})</span> : null}
      </span>
    ),
    { className: 'mono' },
  ),
  column('Unit', (s) => orDash(s.unit), { className: 'mono' }),
  column('Package', (s) => orDash(s.package), { className: 'mono' }),
];

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
  if (value === null) return <Dash />;
  return <span className={`badge badge-${value ? 'ok' : 'bad'}`}>{value ? 'Allowed' : 'Not allowed'}</span>;
}

const allowListColumn = (rule: ResultItem | undefined) =>
  column<ListeningSocket>('Allow-list', (s) => <Allowed value={allowedOf(s, rule)} />);

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
        <>
          <DataTable
            items={list}
            columns={judged ? [...columns, allowListColumn(rule)] : columns}
            caption="Listening sockets, by port"
            rowKey={socketKey}
          />
          {judged && rule.evidence[0] ? (
            <p className="small muted table-note">Allowed: {rule.evidence[0].expected.replace(/^only allow-listed listeners: /, '')}</p>
          ) : null}
        </>
      )}
    </Section>
  );
}
