import { useSyncExternalStore } from 'react';

// One shared ticking clock so that relative times ("2 min ago") stay true without
// every cell owning a timer.
const TICK_MS = 15_000;
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const snapshot = () => now;

/** The shared clock; rendered outside a browser (static markup), the same value. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
