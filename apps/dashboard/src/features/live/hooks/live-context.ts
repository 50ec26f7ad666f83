import { createContext, useContext } from 'react';

export type LiveStatus = 'connecting' | 'live' | 'disconnected';

export const LiveStatusContext = createContext<LiveStatus>('connecting');

export function useLiveStatus(): LiveStatus {
  return useContext(LiveStatusContext);
}
