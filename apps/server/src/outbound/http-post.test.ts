import type { lookup } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { checkUrl, guardedLookup, maskUrl, postBody, refusedAddress } from './http-post';

/**
 * Every way an IPv6 address can carry an IPv4 one, for the addresses a forged request would aim
 * at: loopback, RFC 1918, link-local (cloud metadata). Each must be judged as the IPv4 inside.
 */
function embeddings(v4: string): string[] {
  const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
  const hi = ((a << 8) | b).toString(16);
  const lo = ((c << 8) | d).toString(16);
  const inv = (n: number) => (~n & 0xffff).toString(16);
  return [
    `::ffff:${v4}`, // IPv4-mapped, dotted
    `::ffff:${hi}:${lo}`, // IPv4-mapped, hex
    `::${v4}`, // IPv4-compatible (deprecated), dotted
    `::${hi}:${lo}`, // IPv4-compatible, hex
    `::ffff:0:${hi}:${lo}`, // SIIT, RFC 6145
    `64:ff9b::${hi}:${lo}`, // NAT64 well-known prefix, RFC 6052
    `64:ff9b::${v4}`,
    `64:ff9b:1::${hi}:${lo}`, // NAT64 local-use prefix, RFC 8215
    `2002:${hi}:${lo}::1`, // 6to4, RFC 3056
    `2001:0:${hi}:${lo}:0:0:f7f7:f7f7`, // Teredo server part (client 8.8.8.8)
    `2001:0:4136:e378:8000:63bf:${inv((a << 8) | b)}:${inv((c << 8) | d)}`, // Teredo client part (obfuscated)
  ];
}

describe('refusedAddress', () => {
  const alwaysRefused: [string, RegExp][] = [
    ['169.254.169.254', /link-local/],
    ['fe80::1', /link-local/],
    ['0.0.0.0', /unspecified/],
    ['::', /unspecified/],
    ['255.255.255.255', /broadcast/],
    ['224.0.0.1', /multicast/],
    ['ff02::1', /multicast/],
    ['192.0.2.10', /reserved/],
    ['2001:db8::1', /reserved/],
    ['240.0.0.1', /reserved/],
    ['100::1', /discard/],
    ...embeddings('169.254.169.254').map((a): [string, RegExp] => [a, /169\.254\.169\.254.*link-local/]),
    ...embeddings('0.0.0.0').map((a): [string, RegExp] => [a, /unspecified/]),
  ];
  it.each(alwaysRefused)('%s is refused even when private targets are allowed: %s', (address, why) => {
    expect(refusedAddress(address, true)).toMatch(why);
    expect(refusedAddress(address, false)).toMatch(why);
  });

  const privateOnes: [string, RegExp][] = [
    ['127.0.0.1', /loopback/],
    ['::1', /loopback/],
    ['10.1.2.3', /private/],
    ['172.16.5.4', /private/],
    ['192.168.1.10', /private/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['fd00::5', /unique-local/],
    ['fc00::1', /unique-local/],
    ['fec0::1', /site-local/],
    // The forms that passed the hand-written check.
    ['::7f00:1', /127\.0\.0\.1.*loopback/],
    ['64:ff9b::7f00:1', /127\.0\.0\.1.*loopback/],
    ['::ffff:0:7f00:1', /127\.0\.0\.1.*loopback/],
    ...['127.0.0.1', '10.0.0.8', '192.168.1.1', '100.64.1.1', '172.31.255.255'].flatMap((v4) =>
      embeddings(v4).map((a): [string, RegExp] => [a, new RegExp(`${v4.replaceAll('.', '\\.')}.*(loopback|private|carrier-grade NAT)`)]),
    ),
  ];
  it.each(privateOnes)('%s is refused when private targets are off: %s', (address, why) => {
    expect(refusedAddress(address, false)).toMatch(why);
  });
  it.each(privateOnes.filter(([a]) => !a.startsWith('64:ff9b:1:')))('%s may be reached when private targets are allowed', (address) => {
    expect(refusedAddress(address, true)).toBeNull();
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:81b::200e',
    ...embeddings('8.8.8.8').filter((a) => !a.startsWith('64:ff9b:1:')),
  ])('public %s may be reached with private targets off', (address) => {
    expect(refusedAddress(address, false)).toBeNull();
  });

  it('counts the NAT64 local-use prefix as private: its translator sits on the local network', () => {
    expect(refusedAddress('64:ff9b:1::808:808', false)).toMatch(/local-use NAT64/);
    expect(refusedAddress('64:ff9b:1::808:808', true)).toBeNull();
  });
});

describe('guardedLookup', () => {
  const answers = (...addresses: string[]) =>
    ((_host: string, _opts: object, cb: (err: Error | null, a: { address: string; family: number }[]) => void) =>
      cb(
        null,
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      )) as unknown as typeof lookup;
  const resolve = (lookup: ReturnType<typeof guardedLookup>, all: boolean) =>
    new Promise<unknown>((ok, fail) => lookup('hooks.example.net', { all }, (err, address) => (err ? fail(err) : ok(address))));

  it('refuses a name when any of its answers is refused, naming the address', async () => {
    await expect(resolve(guardedLookup(false, answers('93.184.216.34', '64:ff9b::7f00:1')), true)).rejects.toThrow(
      /hooks\.example\.net resolves to 64:ff9b::7f00:1 .*loopback/,
    );
    await expect(resolve(guardedLookup(true, answers('::ffff:a9fe:a9fe')), false)).rejects.toThrow(/link-local/);
  });

  it('hands back public answers unchanged', async () => {
    await expect(resolve(guardedLookup(false, answers('93.184.216.34', '2606:4700:4700::1111')), true)).resolves.toHaveLength(2);
    await expect(resolve(guardedLookup(false, answers('93.184.216.34')), false)).resolves.toBe('93.184.216.34');
  });
});

describe('checkUrl', () => {
  it.each([
    ['gopher://example.com/', /only http and https/],
    ['javascript:alert(1)', /only http and https/],
    ['http://u:p@example.com/', /credentials/],
    ['http://[fe80::1]/', /link-local/],
    ['http://169.254.169.254/latest', /link-local/],
    ['http://[::ffff:169.254.169.254]/latest', /link-local/],
    ['http://[64:ff9b::a9fe:a9fe]/', /link-local/],
    ['nope', /not a valid URL/],
  ])('refuses %s', (url, message) => {
    expect(() => checkUrl(url, true)).toThrow(message);
  });

  it('refuses a private literal only when private targets are off', () => {
    expect(checkUrl('http://10.0.0.8:9000/x', true).host).toBe('10.0.0.8:9000');
    expect(() => checkUrl('http://10.0.0.8:9000/x', false)).toThrow(/private/);
    // URL parsing normalises the shorthand forms first, so they are judged as what they mean.
    expect(() => checkUrl('http://0x7f.1/', false)).toThrow(/127\.0\.0\.1 is a loopback/);
    expect(() => checkUrl('http://[::7f00:1]/', false)).toThrow(/loopback/);
  });
});

describe('postBody', () => {
  it('checks the address a name resolves to at connect time', async () => {
    await expect(postBody('http://localhost:9/', {}, Buffer.from('{}'), { allowPrivate: false, timeoutMs: 2000 })).rejects.toThrow(
      /refused: localhost resolves to .*loopback/,
    );
  });
});

describe('maskUrl', () => {
  it('keeps the origin and hides a path that may be a credential', () => {
    expect(maskUrl('https://hooks.slack.com/services/T0/B0/XYZ')).toBe('https://hooks.slack.com/…');
    expect(maskUrl('https://siem.example.com/')).toBe('https://siem.example.com');
    expect(maskUrl('https://siem.example.com/?token=abc')).toBe('https://siem.example.com/…');
  });
});
