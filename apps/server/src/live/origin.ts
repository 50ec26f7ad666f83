/**
 * Whether a browser's Origin header names this server, as the request reached it (scheme from
 * TLS or a trusted proxy's X-Forwarded-Proto, host and port from the Host header or a trusted
 * proxy's X-Forwarded-Host). Returns why not, or null.
 * Browsers send exactly `scheme://host[:port]`; `null` (sandboxed frames, file: pages),
 * anything with a path or credentials, and anything that does not parse are refused.
 */
export function foreignOrigin(origin: string, protocol: string, host: string | undefined): string | null {
  let expected: string;
  try {
    expected = new URL(`${protocol}://${host ?? ''}`).origin;
  } catch {
    return `the request's Host header (${JSON.stringify(host ?? '')}) is not a valid host, so no Origin can match it`;
  }
  const refuse = (why: string) => `Origin ${JSON.stringify(origin)} ${why}; only ${expected} may open the live feed with a session cookie`;
  if (origin === 'null') return refuse('is an opaque origin (a sandboxed frame or a local file)');
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return refuse('is not a valid origin');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse('is not a web origin');
  if (url.username || url.password || origin.replace(/\/$/, '') !== url.origin) return refuse('is not a bare scheme://host[:port] origin');
  if (url.origin !== expected) return refuse('is another origin');
  return null;
}
