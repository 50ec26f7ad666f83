import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { LiveEvent } from '@plumbline/protocol/live';
import { queryKeys } from '@/lib/query-keys';
import type { LiveStatus } from './live-context';
import { createLiveEventParser } from './parse-live-event';

const BATCH_MS = 400;
const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 30_000;

export function liveUrl(loc: Location = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/api/v1/live`;
}

/**
 * Collects host ids from live events and invalidates their queries in batches, so a
 * burst of agent updates costs one refetch per view. Invalidation refetches in the
 * background and keeps current data on screen: scroll, filters and open sections stay.
 */
function createInvalidator(queryClient: QueryClient) {
  const hostIds = new Set<string>();
  let drift = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    timer = null;
    void queryClient.invalidateQueries({ queryKey: queryKeys.hostLists });
    void queryClient.invalidateQueries({ queryKey: queryKeys.summary });
    // A host's detail, results, changes: everything under its key.
    for (const id of hostIds) void queryClient.invalidateQueries({ queryKey: queryKeys.host(id) });
    if (drift) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.drift });
      void queryClient.invalidateQueries({ queryKey: queryKeys.rules });
    }
    hostIds.clear();
    drift = false;
  };

  return {
    add(event: LiveEvent) {
      // A revoked agent is the server's business; the host's page changes when it goes offline.
      if (event.type === 'agent.revoked') return;
      hostIds.add(event.hostId);
      if (event.type === 'drift') drift = true;
      timer ??= setTimeout(flush, BATCH_MS);
    },
    all() {
      void queryClient.invalidateQueries({ queryKey: queryKeys.hosts });
      void queryClient.invalidateQueries({ queryKey: queryKeys.summary });
      void queryClient.invalidateQueries({ queryKey: queryKeys.drift });
    },
    dispose() {
      if (timer) clearTimeout(timer);
    },
  };
}

/** One WebSocket to /api/v1/live for the whole app, reconnecting with jittered backoff. */
export function useLiveSocket(enabled: boolean): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    if (!enabled) return;
    const invalidator = createInvalidator(queryClient);
    const parseEvent = createLiveEventParser();
    let socket: WebSocket | null = null;
    let attempt = 0;
    let everOpened = false;
    let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;

    const scheduleReconnect = () => {
      if (stopped || reconnectTimer) return;
      const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
      attempt += 1;
      reconnectTimer = setTimeout(connect, base / 2 + Math.random() * (base / 2));
    };

    function connect() {
      reconnectTimer = null;
      if (stopped) return;
      setStatus('connecting');
      const ws = new WebSocket(liveUrl());
      socket = ws;
      ws.onopen = () => {
        attempt = 0;
        setStatus('live');
        // Events may have been missed while disconnected: refresh what is shown.
        if (everOpened) invalidator.all();
        everOpened = true;
      };
      ws.onmessage = (message) => {
        const event = parseEvent(message.data);
        if (event) invalidator.add(event);
      };
      ws.onclose = (close) => {
        if (socket !== ws) return;
        socket = null;
        if (stopped) return;
        setStatus('disconnected');
        // Rejected for auth (or the session ended): let the session query decide.
        if (close.code === 1008 || close.code === 4401 || close.code === 4403) {
          void queryClient.invalidateQueries({ queryKey: queryKeys.session });
        }
        scheduleReconnect();
      };
      ws.onerror = () => {
        // onclose follows and schedules the reconnect.
      };
    }

    const onOnline = () => {
      if (socket === null && reconnectTimer) {
        clearTimeout(reconnectTimer);
        reconnectTimer = null;
        attempt = 0;
        connect();
      }
    };
    window.addEventListener('online', onOnline);
    connect();

    return () => {
      stopped = true;
      window.removeEventListener('online', onOnline);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      invalidator.dispose();
      socket?.close(1000, 'leaving');
      socket = null;
    };
  }, [enabled, queryClient]);

  return enabled ? status : 'disconnected';
}
