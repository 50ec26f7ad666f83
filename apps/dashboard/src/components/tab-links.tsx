import { Link } from 'react-router';

/** Tabs that are links: the selected one lives in the URL, so it can be shared. */
export function TabLinks({ tabs, current, label }: { tabs: { id: string; label: string; to: string }[]; current: string; label: string }) {
  return (
    <nav className="tab-links" aria-label={label}>
      {tabs.map((t) => (
        <Link key={t.id} to={t.to} aria-current={t.id === current ? 'page' : undefined} className="tab-link" replace>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
