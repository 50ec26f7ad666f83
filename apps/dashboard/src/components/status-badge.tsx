export function OnlineBadge({ online }: { online: boolean }) {
  return (
    <span className={`badge ${online ? 'badge-ok' : 'badge-off'}`}>
      <span className="badge-dot" aria-hidden="true" />
      {online ? 'Online' : 'Offline'}
    </span>
  );
}
