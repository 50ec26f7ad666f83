import type { WaiverItem } from '@plumbline/protocol/api';
import { useState, type ReactNode } from 'react';
import { targetName, WaiveForm, type ScopeOption, type WaiverTarget } from './waive-form';

/**
 * A "Waive…" button for the rows of a table that opens the waiver form in a full-width row under
 * its row (a DataTable `detail`), and a status line saying what became of the last waiver made.
 * The table and its rows belong to another feature: this one knows them only through `rowKey`
 * and `target`.
 */
export function useRowWaivers<T>({
  rowKey,
  target,
  scopes,
  waivable = () => true,
}: {
  rowKey: (row: T) => string;
  target: (row: T) => WaiverTarget;
  scopes: ScopeOption[];
  waivable?: (row: T) => boolean;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const [made, setMade] = useState<WaiverItem | null>(null);
  const canWaive = (row: T) => scopes.length > 0 && waivable(row);

  const actions = (row: T): ReactNode =>
    canWaive(row) ? (
      <button
        type="button"
        className="btn btn-small"
        aria-label={`Waive ${targetName(target(row))}`}
        aria-expanded={open === rowKey(row)}
        onClick={() => {
          setOpen(open === rowKey(row) ? null : rowKey(row));
          setMade(null);
        }}
      >
        Waive…
      </button>
    ) : null;

  const detail = (row: T): ReactNode =>
    open === rowKey(row) ? (
      <WaiveForm
        target={target(row)}
        scopes={scopes}
        onDone={(w) => {
          setOpen(null);
          setMade(w);
        }}
        onCancel={() => setOpen(null)}
      />
    ) : null;

  const status = made ? (
    <p role="status">
      {made.state === 'active'
        ? `Waiver for ${made.cve ?? made.ruleId} created.`
        : `Waiver for ${made.cve ?? made.ruleId} requested: it applies once someone else approves it.`}
    </p>
  ) : null;

  return { actions, detail, status };
}
