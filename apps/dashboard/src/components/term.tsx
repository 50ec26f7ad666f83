import type { ReactNode } from 'react';

/** One term and its description inside a `<dl>` (a facts grid, a list of references); `className` styles the description. */
export function Term({ term, className, children }: { term: ReactNode; className?: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}
