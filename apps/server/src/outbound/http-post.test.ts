import { describe, expect, it } from 'vitest';
import { checkUrl, maskUrl, postBody, refusedAddress } from './http-post';

describe('refusedAddress', () => {
  it.each([
    ['169.254.169.254', true, 'link-local'],
    ['fe80::1', true, 'link-local'],
    ['0.0.0.0', true, 'unspecified'],
    ['::ffff:169.254.169.254', true, 'link-local'],
    ['127.0.0.1', false, 'loopback or private'],
    ['10.1.2.3', false, 'loopback or private'],
    ['192.168.1.10', false, 'loopback or private'],
    ['::1', false, 'loopback or private'],
    ['fd00::5', false, 'loopback or private'],
  ])('%s (allowPrivate=%s) is refused: %s', (address, allowPrivate, why) => {
    expect(refusedAddress(address, allowPrivate)).toContain(why);
  });

  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['93.184.216.34', false],
    ['2001:db8::1', false],
  ])('%s (allowPrivate=%s) may be reached', (address, allowPrivate) => {
    expect(refusedAddress(address, allowPrivate)).toBeNull();
  });
});

describe('checkUrl', () => {
  it.each([
    ['gopher://example.com/', /only http and https/],
    ['javascript:alert(1)', /only http and https/],
    ['http://u:p@example.com/', /credentials/],
    ['http://[fe80::1]/', /link-local/],
    ['http://169.254.169.254/latest', /link-local/],
    ['nope', /not a valid URL/],
  ])('refuses %s', (url, message) => {
    expect(() => checkUrl(url, true)).toThrow(message);
  });

  it('refuses a private literal only when private targets are off', () => {
    expect(checkUrl('http://10.0.0.8:9000/x', true).host).toBe('10.0.0.8:9000');
    expect(() => checkUrl('http://10.0.0.8:9000/x', false)).toThrow(/private/);
  });
});

describe('postBody', () => {
  it('checks the address a name resolves to at connect time', async () => {
    await expect(postBody('http://localhost:9/', {}, Buffer.from('{}'), { allowPrivate: false, timeoutMs: 2000 })).rejects.toThrow(/refused: localhost resolves to .*loopback or private/);
  });
});

describe('maskUrl', () => {
  it('keeps the origin and hides a path that may be a credential', () => {
    expect(maskUrl('https://hooks.slack.com/services/T0/B0/XYZ')).toBe('https://hooks.slack.com/…');
    expect(maskUrl('https://siem.example.com/')).toBe('https://siem.example.com');
    expect(maskUrl('https://siem.example.com/?token=abc')).toBe('https://siem.example.com/…');
  });
});
