import type { WebhookDeliveryItem, WebhookItem } from '@plumbline/protocol/outbound';
import { column, type Column } from '@/components/data-table';
import { PagedTable, usePaging } from '@/components/paged-table';
import { RelativeTime } from '@/components/relative-time';
import { EmptyState } from '@/components/states';
import { useWebhookDeliveries } from '../api/get-webhook-deliveries';

const PAGE = 20;
const BADGE: Record<WebhookDeliveryItem['status'], string> = { delivered: 'badge-ok', pending: 'badge-warn', failed: 'badge-bad' };

const columns: Column<WebhookDeliveryItem>[] = [
  column('Event', (d) => (d.kind === 'test' ? 'test event' : `drift #${d.eventId ?? '?'}`)),
  column('Status', (d) => <span className={`badge ${BADGE[d.status]}`}>{d.status}</span>),
  column('Attempts', (d) => d.attempts, { num: true }),
  column('Answer', (d) => d.error ?? (d.statusCode !== null ? `HTTP ${d.statusCode}` : ''), { className: 'small' }),
  column('Next attempt', (d) => (d.nextAttemptAt ? <RelativeTime iso={d.nextAttemptAt} /> : null), { className: 'nowrap' }),
  column('Delivered', (d) => (d.deliveredAt ? <RelativeTime iso={d.deliveredAt} /> : null), { className: 'nowrap' }),
];

/** One webhook's deliveries, newest first: attempts, the receiver's answer, the next retry. */
export function DeliveryLog({ webhook }: { webhook: WebhookItem }) {
  const paging = usePaging(PAGE);
  return (
    <PagedTable
      query={useWebhookDeliveries(webhook.id, paging.params)}
      paging={paging}
      loading={`Loading deliveries of ${webhook.name}…`}
      empty={<EmptyState title="No deliveries yet">Matching drift, or a test event, shows up here.</EmptyState>}
      pagesLabel={`Delivery pages of ${webhook.name}`}
      caption={`Deliveries of ${webhook.name}`}
      showCaption
      columns={columns}
      compact
    />
  );
}
