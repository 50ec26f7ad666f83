import { useNavigate } from 'react-router';
import { useDeleteSession } from '../api/delete-session';

export function SignOutButton({ className = 'btn btn-small btn-header' }: { className?: string }) {
  const navigate = useNavigate();
  const signOut = useDeleteSession();
  return (
    <button
      type="button"
      className={className}
      disabled={signOut.isPending}
      onClick={() => signOut.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}
    >
      Sign out
    </button>
  );
}
