import { describe, expect, it } from 'vitest';
import { filterJson } from './json-filter';

const facts = {
  sshd_config: {
    settings: {
      permitrootlogin: { keyword: 'PermitRootLogin', value: 'no', line: 4 },
      port: { keyword: 'Port', value: '2222', line: 3 },
    },
  },
  listening_sockets: [
    { protocol: 'tcp', port: 2222, process: 'sshd' },
    { protocol: 'udp', port: 323, process: 'chronyd' },
  ],
};

describe('filterJson', () => {
  it.each([
    [
      'a key keeps its whole subtree',
      'permitroot',
      { sshd_config: { settings: { permitrootlogin: facts.sshd_config.settings.permitrootlogin } } },
    ],
    ['a leaf value keeps its path only', 'chronyd', { listening_sockets: { 1: { process: 'chronyd' } } }],
    ['numbers match as text', '323', { listening_sockets: { 1: { port: 323 } } }],
  ])('%s', (_name, needle, expected) => {
    expect(filterJson(facts, needle)).toEqual(expected);
  });

  it('returns undefined when nothing matches', () => {
    expect(filterJson(facts, 'no-such-thing')).toBeUndefined();
  });
});
