import { describe, expect, it } from 'vitest';
import { arphrdName, collect as collectNet } from './index';
import { fixtureRoot, rootContext } from '../../../test/support/host-trees';

describe('network_interfaces', () => {
  it('names ARP hardware types', () => {
    expect([arphrdName('1'), arphrdName('772'), arphrdName('9999'), arphrdName(null)]).toEqual(['ether', 'loopback', '9999', null]);
  });

  it('is null with a reason under --root', async () => {
    expect(await collectNet(rootContext(fixtureRoot('edge-mqtt')))).toEqual({
      interfaces: null,
      reason: 'interfaces are only read on a live host',
    });
  });
});
