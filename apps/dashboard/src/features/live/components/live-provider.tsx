import type { ReactNode } from 'react';
import { LiveStatusContext } from '../hooks/live-context';
import { useLiveSocket } from '../hooks/use-live-socket';

export function LiveProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const status = useLiveSocket(enabled);
  return <LiveStatusContext value={status}>{children}</LiveStatusContext>;
}
