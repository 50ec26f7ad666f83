import { gunzipSync } from 'node:zlib';
import { FeedError, type ParsedFeed } from '../types';
import { looksLikeCsaf, parseRedhatCsaf } from './redhat-csaf';
import { looksLikeDebianTracker, parseDebianTracker } from './debian';
import { looksLikeEpss, parseEpss } from './epss';
import { looksLikeKev, parseKev } from './kev';
import { looksLikeOsv, parseUbuntuOsv } from './ubuntu-osv';

export { cvssBaseScore } from './cvss';
export { ubuntuCodename } from './ubuntu-osv';

/**
 * Any supported feed, its kind detected from the content (never the file name): gzip is
 * unpacked first; then EPSS CSV, or JSON that is a KEV catalog, a CSAF document, OSV records or
 * the Debian tracker's map. A cut or malformed file throws a FeedError and yields nothing.
 */
export function parseFeed(data: Uint8Array | string): ParsedFeed {
  let text: string;
  if (typeof data !== 'string' && data[0] === 0x1f && data[1] === 0x8b) {
    try {
      text = gunzipSync(data).toString('utf8');
    } catch (e) {
      throw new FeedError('PLUMBLINE_ERR_FEED_TRUNCATED', `gzip: ${(e as Error).message}`);
    }
  } else text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trim()) throw new FeedError('PLUMBLINE_ERR_FEED_TRUNCATED', 'the file is empty');
  if (looksLikeEpss(text)) return { kind: 'epss', ...parseEpss(text) };
  const head = text.trimStart()[0];
  if (head !== '{' && head !== '[') throw new FeedError('PLUMBLINE_ERR_FEED_UNKNOWN', 'not a known feed: neither JSON nor EPSS CSV');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    // V8: "Unexpected end of JSON input" / "Unterminated string" / "Expected ... after ..." at the very end.
    const cut = /end of JSON|Unterminated|position (\d+)/.exec(msg);
    const atEnd = cut && (!cut[1] || Number(cut[1]) >= text.trimEnd().length - 1);
    throw new FeedError(atEnd ? 'PLUMBLINE_ERR_FEED_TRUNCATED' : 'PLUMBLINE_ERR_FEED_MALFORMED', `JSON: ${msg}`);
  }
  if (looksLikeKev(v)) return { kind: 'kev', ...parseKev(v) };
  if (looksLikeCsaf(v)) {
    const r = parseRedhatCsaf(v);
    return { kind: 'redhat-csaf', distro: 'rhel', version: r.modified, advisories: r.advisories, cves: r.cves };
  }
  if (looksLikeOsv(v)) {
    const r = parseUbuntuOsv(v);
    return { kind: 'ubuntu-osv', distro: 'ubuntu', version: r.modified, advisories: r.advisories, cves: r.cves };
  }
  if (looksLikeDebianTracker(v)) return { kind: 'debian-tracker', distro: 'debian', version: null, ...parseDebianTracker(v) };
  throw new FeedError('PLUMBLINE_ERR_FEED_UNKNOWN', 'JSON of no known feed: not the Debian tracker, OSV, CSAF or the KEV catalog');
}
