import type { WebhookDeliveryItem, WebhookItem } from '@plumbline/protocol/outbound';
import { useState } from 'react';
import { Pagination } from '@/components/pagination';
import { RelativeTime } from '@/components/relative-time';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useWebhookDeliveries } from '../api/get-webhook-deliveries';

const PAGE = 20;
const BADGE: Record<WebhookDeliveryItem['status'], string> = { delivered: 'badge-ok', pending: 'badge-warn', failed: 'badge-bad' };

/** One webhook's deliveries, newest first: attempts, the receiver's answer, the next retry. */
export function DeliveryLog({ webhook }: { webhook: WebhookItem }) {
  const [offset, setOffset] = useState(0);
  const log = useWebhookDeliveries(webhook.id, { limit: PAGE, offset });
  if (log.isPending) return <LoadingState label={`Loading deliveries of ${webhook.name}…`} />;
  if (log.isError) return <ErrorState error={log.error} onRetry={() => void log.refetch()} />;
  if (log.data.items.length === 0) return <EmptyState title="No deliveries yet">Matching drift, or a test event, shows up here.</EmptyState>;
  return (
    <>
      <table className="table table-compact">
        <caption>Deliveries of {webhook.name}</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Attempts
            </th>
            <th scope="col">Answer</th>
            <th scope="col">Next attempt</th>
            <th scope="col">Delivered</th>
          </tr>
        </thead>
        <tbody>
          {log.data.items.map((d) => (
            <tr key={d.id}>
              <td>{d.kind === 'test' ? 'test event' : `drift #${d.eventId ?? '?'}`}</td>
              <td>
                <span className={`badge ${BADGE[d.status]}`}>{d.status}</span>
              </td>
              <td className="num">{d.attempts}</td>
              <td className="small">{d.error ?? (d.statusCode !== null ? `HTTP ${d.statusCode}` : '')}</td>
              <td className="nowrap">{d.nextAttemptAt ? <RelativeTime iso={d.nextAttemptAt} /> : null}</td>
              <td className="nowrap">{d.deliveredAt ? <RelativeTime iso={d.deliveredAt} /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pagination label={`Delivery pages of ${webhook.name}`} offset={offset} limit={PAGE} total={log.data.total} shown={log.data.items.length} onChange={setOffset} />
    </>
  );
}
