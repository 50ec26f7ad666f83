import { describe, expect, it } from 'vitest';
import { collect as collectOpenssl } from './index';
import { parseOpensslVersion, upstreamVersion } from './parse';
import { fixtureRoot, rootContext } from '../../../test/support/host-trees';

describe('openssl', () => {
  it.each([
    ['OpenSSL 3.0.15 3 Sep 2024 (Library: OpenSSL 3.0.16 11 Feb 2025)', '3.0.16'],
    ['OpenSSL 3.0.2 15 Mar 2022', '3.0.2'],
  ])('%s -> %s', (text, want) => {
    expect(parseOpensslVersion(text)).toBe(want);
  });

  it.each([
    ['3.0.2-0ubuntu1.18', '3.0.2'],
    ['3.0.14-1~deb12u2', '3.0.14'],
    ['1:1.1.1n-0+deb11u5', '1.1.1n'],
  ])('package %s is upstream %s', (v, want) => {
    expect(upstreamVersion(v)).toBe(want);
  });

  it('takes the library package under --root (Ubuntu 24.04 t64) and explains a missing one (RHEL)', async () => {
    expect(await collectOpenssl(rootContext(fixtureRoot('ubuntu-2404')))).toEqual({
      version: '3.0.13',
      source: 'package',
      package: { name: 'libssl3t64', version: '3.0.13-0ubuntu3.4' },
      reason: null,
    });
    expect(await collectOpenssl(rootContext(fixtureRoot('rhel9')))).toMatchObject({ version: null, source: null, package: null });
  });
});
