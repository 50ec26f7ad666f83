import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import { AppError, ErrorCode } from '../errors';
import { judgeAddress } from './address-class';

/**
 * Outbound HTTP for webhooks and scheduled reports. Server-side request forgery is the risk:
 * an admin-supplied URL makes the server send requests from inside the network. So:
 * - only http: and https: URLs, without user:password;
 * - link-local, unspecified, multicast, broadcast, reserved and documentation addresses (cloud
 *   metadata at 169.254.169.254, fe80::/10, 0.0.0.0) are always refused; loopback, private,
 *   carrier-grade NAT and unique-local ranges too unless PLUMBLINE_WEBHOOK_ALLOW_PRIVATE (the
 *   default, as receivers on the LAN are the common case here); an IPv4 address inside an IPv6
 *   one (mapped, compatible, NAT64, 6to4, Teredo) is judged as that IPv4 address (address-class.ts);
 * - the check runs on the resolved address at connect time (a custom DNS lookup), so a name
 *   that later resolves elsewhere (DNS rebinding) is caught as well;
 * - redirects are never followed, and every request has a deadline.
 */
export interface OutboundPolicy {
  allowPrivate: boolean;
  timeoutMs: number;
}

/** Why an address may not be reached, or null. Embedded IPv4 is judged as the IPv4 it carries. */
export function refusedAddress(address: string, allowPrivate: boolean): string | null {
  const verdict = judgeAddress(address);
  if (verdict.reach === 'public' || (verdict.reach === 'private' && allowPrivate)) return null;
  return verdict.why;
}
/** Parses and vets a destination URL; the message names what is wrong. */
export function checkUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError(ErrorCode.badUrl, 'url: not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AppError(ErrorCode.badUrl, `url: only http and https URLs are allowed, not ${url.protocol.replace(':', '')}`);
  if (url.username || url.password) throw new AppError(ErrorCode.badUrl, 'url: credentials in the URL are not allowed');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const why = refusedAddress(host, allowPrivate);
    if (why) throw new AppError(ErrorCode.badUrl, `url: ${why}`);
  }
  return url;
}

/** Origin plus a masked path: enough to recognise a receiver, without the secret many embed in the path. */
export function maskUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return u.pathname === '/' && !u.search ? u.origin : `${u.origin}/…`;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * A DNS lookup for the outbound socket that refuses the connection when any answer is a refused
 * address, so the check applies to what is actually dialled, not only to the URL as saved.
 */
export function guardedLookup(allowPrivate: boolean, resolve: typeof dnsLookup = dnsLookup): LookupFunction {
  return ((
    hostname: string,
    options: { all?: boolean },
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const bad = addresses.map((a) => refusedAddress(a.address, allowPrivate)).find(Boolean);
      if (bad)
        return callback(Object.assign(new Error(`refused: ${hostname} resolves to ${bad}`), { code: 'PLUMBLINE_REFUSED_ADDRESS' }), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  }) as LookupFunction;
}

export interface PostResult {
  statusCode: number;
}

/**
 * POSTs `body` (a buffer, or a stream that is piped, never buffered) and resolves with the
 * status code once the response has ended; network errors and the deadline reject.
 */
export function postBody(
  rawUrl: string,
  headers: Record<string, string | number>,
  body: Buffer | Readable,
  policy: OutboundPolicy,
  signal?: AbortSignal,
): Promise<PostResult> {
  const url = checkUrl(rawUrl, policy.allowPrivate);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    const req = client.request(url, {
      method: 'POST',
      headers: { 'user-agent': 'plumbline-server', ...headers, ...(Buffer.isBuffer(body) && { 'content-length': body.length }) },
      lookup: guardedLookup(policy.allowPrivate),
      timeout: policy.timeoutMs,
      ...(signal && { signal }),
    });
    // The whole exchange has a deadline, not only each idle gap.
    const deadline = setTimeout(() => req.destroy(new Error(`timed out after ${policy.timeoutMs} ms`)), policy.timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`timed out after ${policy.timeoutMs} ms`)));
    req.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    req.on('response', (res) => {
      // Drain (and ignore) the body: only the status matters, and a big answer is not kept.
      res.resume();
      res.on('end', () => {
        clearTimeout(deadline);
        resolve({ statusCode: res.statusCode ?? 0 });
      });
      res.on('error', (err) => {
        clearTimeout(deadline);
        reject(err);
      });
    });
    if (Buffer.isBuffer(body)) req.end(body);
    else {
      body.on('error', (err) => req.destroy(err));
      body.pipe(req);
    }
  });
}
