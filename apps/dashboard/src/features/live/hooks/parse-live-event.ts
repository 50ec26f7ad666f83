import { LiveEvent } from '@plumbline/protocol/live';

export interface LiveEventParser {
  (data: unknown): LiveEvent | null;
  /** How many messages did not match the protocol (a newer server, or a broken frame). */
  dropped(): number;
}

/**
 * Reads a live frame with the protocol's own schema. A frame that does not match is
 * dropped and counted rather than thrown: one odd event must not cost the page.
 */
export function createLiveEventParser(): LiveEventParser {
  let dropped = 0;
  const parse = (data: unknown): LiveEvent | null => {
    let json: unknown;
    try {
      json = typeof data === 'string' ? JSON.parse(data) : undefined;
    } catch {
      json = undefined;
    }
    const result = LiveEvent.safeParse(json);
    if (result.success) return result.data;
    dropped += 1;
    return null;
  };
  return Object.assign(parse, { dropped: () => dropped });
}
