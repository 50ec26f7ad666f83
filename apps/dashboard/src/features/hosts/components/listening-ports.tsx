import type { ListeningSocket } from '@plumbline/protocol/facts';
import { EmptyState } from '@/components/states';
import { Section } from '@/components/section';

function sortSockets(sockets: ListeningSocket[]): ListeningSocket[] {
  return [...sockets].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol) || a.address.localeCompare(b.address));
}

function Cell({ value }: { value: string | number | null }) {
  return value === null || value === '' ? <span className="muted">—</span> : <>{value}</>;
}

export function ListeningPorts({ sockets, error }: { sockets: unknown; error: boolean }) {
  const list = Array.isArray(sockets) ? sortSockets(sockets as ListeningSocket[]) : null;
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
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
