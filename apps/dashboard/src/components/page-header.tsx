import type { ReactNode } from 'react';

/** The page's h1 and, through React 19's hoisting, its document title. */
export function PageHeader({ title, documentTitle, children }: { title: ReactNode; documentTitle: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <title>{`${documentTitle} · Plumbline`}</title>
      <h1>{title}</h1>
      {children}
    </div>
  );
}
