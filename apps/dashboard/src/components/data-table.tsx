import { getCoreRowModel, useReactTable, type ColumnDef, type RowData } from '@tanstack/react-table';
import { Fragment, type ReactNode } from 'react';

declare module '@tanstack/react-table' {
  // The generics must match the library's declaration to merge.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** A number column: right-aligned header and cells. */
    num?: boolean;
    /** Classes of the body cells (mono, nowrap, small...). */
    className?: string;
    /** The cell names its row: rendered as `<th scope="row">` for screen readers (styled `cell-primary` unless `className` says otherwise). */
    rowHeader?: boolean;
  }
}

export type Column<T> = ColumnDef<T, unknown>;

/**
 * A column shown under `header`, its cells drawn by `cell`. `header` doubles as the
 * column id, so give the action column a label too (it is read out, not shown).
 */
export function column<T>(header: string, cell: (row: T) => ReactNode, meta: ColumnDef<T, unknown>['meta'] = {}): Column<T> {
  return { id: header, header, cell: ({ row }) => cell(row.original), meta };
}

/** The trailing column of row buttons; its header is for screen readers only. */
export function actionsColumn<T>(cell: (row: T) => ReactNode): Column<T> {
  return {
    id: 'actions',
    header: () => <span className="visually-hidden">Actions</span>,
    cell: ({ row }) => cell(row.original),
    meta: { className: 'row-actions' },
  };
}

/**
 * A header or cell template, called as a function rather than mounted as a component (as
 * flexRender would): columns built during a render are new functions each time, and as
 * component types they would remount the cell, losing a row action's pending or done state.
 */
function render<C>(template: string | ((context: C) => unknown) | undefined, context: C): ReactNode {
  return (typeof template === 'function' ? template(context) : template) as ReactNode;
}

function BodyCell({ meta = {}, children }: { meta: Column<unknown>['meta']; children: ReactNode }) {
  const classes = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(' ') || undefined;
  if (meta.rowHeader) {
    return (
      <th scope="row" className={classes(meta.num && 'num', meta.className ?? 'cell-primary')}>
        {children}
      </th>
    );
  }
  return <td className={classes(meta.num && 'num', meta.className)}>{children}</td>;
}

export interface DataTableProps<T> {
  items: T[];
  columns: Column<T>[];
  caption: string;
  /** Show the caption as the table's title (it is read out either way). */
  showCaption?: boolean;
  /** A stable key per row; the index serves rows that have no identity of their own. */
  rowKey: (item: T, index: number) => string;
  compact?: boolean;
  rowClassName?: (item: T) => string | undefined;
  /** A full-width row under the item's row (an opened log, say), or null. */
  detail?: (item: T) => ReactNode;
}

/** The dashboard's tables: a hidden caption, column headers, one row per item. */
export function DataTable<T>({
  items,
  columns,
  caption,
  showCaption = false,
  rowKey,
  compact = false,
  rowClassName,
  detail,
}: DataTableProps<T>) {
  const table = useReactTable({ data: items, columns, getCoreRowModel: getCoreRowModel(), getRowId: (item, index) => rowKey(item, index) });
  return (
    <div className="table-wrap">
      <table className={compact ? 'table table-compact' : 'table'}>
        <caption className={showCaption ? undefined : 'visually-hidden'}>{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className={header.column.columnDef.meta?.num ? 'num' : undefined}>
                  {render(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => {
            const more = detail?.(row.original);
            return (
              <Fragment key={row.id}>
                <tr className={rowClassName?.(row.original)}>
                  {row.getVisibleCells().map((cell) => (
                    <BodyCell key={cell.id} meta={cell.column.columnDef.meta}>
                      {render(cell.column.columnDef.cell, cell.getContext())}
                    </BodyCell>
                  ))}
                </tr>
                {more ? (
                  <tr>
                    <td colSpan={columns.length}>{more}</td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
