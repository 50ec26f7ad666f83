import type { WebhookItem } from '@plumbline/protocol/outbound';
import { useState } from 'react';
import { ActionButton } from '@/components/action-button';
import { actionsColumn, column, type Column } from '@/components/data-table';
import { PagedTable, usePaging } from '@/components/paged-table';
import { RelativeTime } from '@/components/relative-time';
import { EmptyState } from '@/components/states';
import { useDeleteWebhook } from '../api/delete-webhook';
import { useWebhooks } from '../api/get-webhooks';
import { useTestWebhook } from '../api/test-webhook';
import { DeliveryLog } from './delivery-log';

const PAGE = 20;

function filterText(w: WebhookItem): string {
  const f = w.filter;
  const parts = [
    f.kinds.length ? f.kinds.join(', ') : 'all kinds',
    f.severities.length ? f.severities.join('/') : 'any severity',
    f.groups.length ? `groups ${f.groups.join(', ')}` : 'every group',
  ];
  return parts.join(' · ');
}

function Actions({ w, canEdit, open, onToggle }: { w: WebhookItem; canEdit: boolean; open: boolean; onToggle: () => void }) {
  const remove = useDeleteWebhook();
  const test = useTestWebhook();
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        aria-expanded={open}
        aria-label={`${open ? 'Hide' : 'Show'} deliveries of ${w.name}`}
        onClick={onToggle}
      >
        Deliveries
      </button>
      {canEdit ? (
        <>
          <ActionButton
            label={test.isSuccess ? 'Test queued' : 'Send test'}
            pendingLabel="Sending…"
            ariaLabel={`Send a test event to ${w.name}`}
            onAction={() => test.mutate(w.id)}
            pending={test.isPending}
          />
          <ActionButton
            danger
            label="Delete"
            pendingLabel="Deleting…"
            ariaLabel={`Delete webhook ${w.name}`}
            confirm={`Delete the webhook “${w.name}” and its delivery log?`}
            onAction={() => remove.mutate(w.id)}
            pending={remove.isPending}
            error={remove.error ?? test.error}
          />
        </>
      ) : null}
    </>
  );
}

/** Webhooks with their filter; each row opens its delivery log. */
export function WebhookList({ canEdit }: { canEdit: boolean }) {
  const paging = usePaging(PAGE);
  const [open, setOpen] = useState<string | null>(null);
  const columns: Column<WebhookItem>[] = [
    column(
      'Name',
      (w) => (
        <>
          {w.name}
          {w.enabled ? null : <span className="badge badge-off">disabled</span>}
        </>
      ),
      { rowHeader: true },
    ),
    column('Receiver', (w) => w.url, { className: 'mono' }),
    column('Payload', (w) => (w.format === 'slack' ? 'Slack' : 'JSON')),
    column('Filter', filterText, { className: 'small' }),
    column('Created', (w) => <RelativeTime iso={w.createdAt} />, { className: 'nowrap' }),
    actionsColumn((w) => <Actions w={w} canEdit={canEdit} open={open === w.id} onToggle={() => setOpen(open === w.id ? null : w.id)} />),
  ];
  return (
    <PagedTable
      query={useWebhooks(paging.params)}
      paging={paging}
      loading="Loading webhooks…"
      empty={
        <EmptyState title="No webhooks yet">{canEdit ? 'Create one above to send drift to a SIEM or a chat channel.' : null}</EmptyState>
      }
      pagesLabel="Webhook pages"
      caption="Webhooks"
      columns={columns}
      compact
      detail={(w) => (open === w.id ? <DeliveryLog webhook={w} /> : null)}
    />
  );
}
