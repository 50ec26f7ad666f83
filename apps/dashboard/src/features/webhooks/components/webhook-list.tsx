import type { WebhookItem } from '@plumbline/protocol/outbound';
import { Fragment, useState } from 'react';
import { Pagination } from '@/components/pagination';
import { RelativeTime } from '@/components/relative-time';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { errorMessage } from '@/lib/api-client';
import { useDeleteWebhook } from '../api/delete-webhook';
import { useWebhooks } from '../api/get-webhooks';
import { useTestWebhook } from '../api/test-webhook';
import { DeliveryLog } from './delivery-log';

const PAGE = 20;

function filterText(w: WebhookItem): string {
  const f = w.filter;
  const parts = [f.kinds.length ? f.kinds.join(', ') : 'all kinds', f.severities.length ? f.severities.join('/') : 'any severity', f.groups.length ? `groups ${f.groups.join(', ')}` : 'every group'];
  return parts.join(' · ');
}

function Actions({ w, canEdit, open, onToggle }: { w: WebhookItem; canEdit: boolean; open: boolean; onToggle: () => void }) {
  const remove = useDeleteWebhook();
  const test = useTestWebhook();
  const error = remove.error ?? test.error;
  return (
    <>
      <button type="button" className="btn btn-small" aria-expanded={open} aria-label={`${open ? 'Hide' : 'Show'} deliveries of ${w.name}`} onClick={onToggle}>
        Deliveries
      </button>
      {canEdit ? (
        <>
          <button type="button" className="btn btn-small" disabled={test.isPending} aria-label={`Send a test event to ${w.name}`} onClick={() => test.mutate(w.id)}>
            {test.isPending ? 'Sending…' : test.isSuccess ? 'Test queued' : 'Send test'}
          </button>
          <button
            type="button"
            className="btn btn-small btn-danger"
            disabled={remove.isPending}
            aria-label={`Delete webhook ${w.name}`}
            onClick={() => {
              if (window.confirm(`Delete the webhook “${w.name}” and its delivery log?`)) remove.mutate(w.id);
            }}
          >
            {remove.isPending ? 'Deleting…' : 'Delete'}
          </button>
        </>
      ) : null}
      {error ? (
        <span className="form-error small" role="alert">
          {errorMessage(error)}
        </span>
      ) : null}
    </>
  );
}

/** Webhooks with their filter; each row opens its delivery log. */
export function WebhookList({ canEdit }: { canEdit: boolean }) {
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const hooks = useWebhooks({ limit: PAGE, offset });
  if (hooks.isPending) return <LoadingState label="Loading webhooks…" />;
  if (hooks.isError) return <ErrorState error={hooks.error} onRetry={() => void hooks.refetch()} />;
  if (hooks.data.items.length === 0) return <EmptyState title="No webhooks yet">{canEdit ? 'Create one above to send drift to a SIEM or a chat channel.' : null}</EmptyState>;
  return (
    <>
      <div className="table-wrap">
        <table className="table table-compact">
          <caption className="visually-hidden">Webhooks</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Receiver</th>
              <th scope="col">Payload</th>
              <th scope="col">Filter</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {hooks.data.items.map((w) => (
              <Fragment key={w.id}>
                <tr>
                  <th scope="row" className="cell-primary">
                    {w.name}
                    {w.enabled ? null : <span className="badge badge-off">disabled</span>}
                  </th>
                  <td className="mono">{w.url}</td>
                  <td>{w.format === 'slack' ? 'Slack' : 'JSON'}</td>
                  <td className="small">{filterText(w)}</td>
                  <td className="nowrap">
                    <RelativeTime iso={w.createdAt} />
                  </td>
                  <td className="row-actions">
                    <Actions w={w} canEdit={canEdit} open={open === w.id} onToggle={() => setOpen(open === w.id ? null : w.id)} />
                  </td>
                </tr>
                {open === w.id ? (
                  <tr>
                    <td colSpan={6}>
                      <DeliveryLog webhook={w} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination label="Webhook pages" offset={offset} limit={PAGE} total={hooks.data.total} shown={hooks.data.items.length} onChange={setOffset} />
    </>
  );
}
