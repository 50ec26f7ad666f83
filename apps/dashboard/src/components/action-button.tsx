import { errorMessage } from '@/lib/api-client';

/**
 * A row action that asks first when `confirm` is given (the browser's own dialog, so
 * keyboard and screen readers know it), then shows its progress and any refusal.
 */
export function ActionButton({
  label,
  pendingLabel,
  ariaLabel,
  confirm,
  onAction,
  pending,
  error,
  danger = false,
  disabled = false,
}: {
  label: string;
  pendingLabel?: string;
  ariaLabel?: string;
  confirm?: string;
  onAction: () => void;
  pending: boolean;
  error?: unknown;
  danger?: boolean;
  disabled?: boolean;
}) {
  return (
    <>
      <button
        type="button"
        className={danger ? 'btn btn-small btn-danger' : 'btn btn-small'}
        disabled={pending || disabled}
        aria-label={ariaLabel}
        onClick={() => {
          if (confirm === undefined || window.confirm(confirm)) onAction();
        }}
      >
        {pending && pendingLabel ? pendingLabel : label}
      </button>
      <ActionError error={error} />
    </>
  );
}

/** Why the server refused a row action, read out when it appears. */
export function ActionError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <span className="form-error small" role="alert">
      {errorMessage(error)}
    </span>
  );
}
