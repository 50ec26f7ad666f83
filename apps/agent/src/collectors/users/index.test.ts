import { describe, expect, it } from 'vitest';
import { collectGroups, collectUsers } from './index';
import { buildUsers, parseShadow, passwordState } from './parse';
import { parseGroup, parsePasswd } from '../lib/accounts';
import { fixtureRoot, withTree, rootContext } from '../../../test/support/host-trees';
import { cases } from '../../../test/support/cases';

describe('passwordState', () => {
  cases(passwordState, [
    ['', 'empty'],
    ['!', 'locked'],
    ['!!', 'locked'],
    ['!*', 'locked'],
    ['!$6$salt$hash', 'locked'],
    ['*', 'no_login'],
    ['x', 'no_login'],
    ['NP', 'no_login'],
    ['$6$salt$hash', 'set'],
    ['$y$j9T$salt$hash', 'set'],
    ['$2b$10$abcdefghijklmnopqrstuv', 'set'],
    ['abcdefghij./0', 'set'],
  ]);
});

describe('parsers', () => {
  it('skips malformed and NIS compat lines in passwd', () => {
    expect(parsePasswd('root:x:0:0:root:/root:/bin/bash\n+::::::\nbad:x:notanumber:0::/:/bin/sh\nshort:x:1\n').map((u) => u.name)).toEqual([
      'root',
    ]);
  });

  it('reads shadow ages and never keeps the hash', () => {
    const shadow = parseShadow('alice:$6$SALT$HASH:19900:1:365:14:30:20500:\n');
    expect(shadow.get('alice')).toEqual({
      state: 'set',
      ages: { last_change_days: 19900, min_days: 1, max_days: 365, warn_days: 14, inactive_days: 30, expire_days: 20500 },
    });
    expect(JSON.stringify([...shadow])).not.toMatch(/SALT|HASH/);
  });

  it('sorts groups by gid and their members by name', () => {
    expect(parseGroup('sudo:x:27:bob,alice,bob\nroot:x:0:\n')).toEqual([
      { name: 'root', gid: 0, members: [] },
      { name: 'sudo', gid: 27, members: ['alice', 'bob'] },
    ]);
  });

  it('finds privileged users by uid 0, listed membership and primary group', () => {
    const passwd = parsePasswd(
      'root:x:0:0::/root:/bin/bash\ntoor:x:0:0::/root:/bin/sh\nal:x:1000:1000::/home/al:/bin/bash\nwh:x:1001:10::/home/wh:/bin/bash\n',
    );
    const groups = parseGroup('wheel:x:10:\nadmin:x:115:al\nsudo:x:27:al\n');
    expect(buildUsers(passwd, null, groups).privileged).toEqual([
      { name: 'al', reasons: ['group:admin', 'group:sudo'] },
      { name: 'root', reasons: ['uid_0'] },
      { name: 'toor', reasons: ['uid_0'] },
      { name: 'wh', reasons: ['group:wheel'] },
    ]);
  });
});

describe('users collector', () => {
  it('reduces shadow to states on the hardened tree', async () => {
    const fact = await collectUsers(rootContext(fixtureRoot('debian12-hardened')));
    const by = new Map(fact.accounts.map((a) => [a.name, a]));
    expect(fact.shadow).toBe('read');
    expect(by.get('root')?.password_state).toBe('locked');
    expect(by.get('alice')).toMatchObject({ password_state: 'set', max_days: 365, warn_days: 14 });
    expect(by.get('deploy')).toMatchObject({ password_state: 'locked', expire_days: 20500 });
    expect(by.get('daemon')?.password_state).toBe('no_login');
    expect(fact.privileged).toEqual([
      { name: 'alice', reasons: ['group:sudo'] },
      { name: 'root', reasons: ['uid_0'] },
    ]);
  });

  it('sees an empty password and a wheel member on the RHEL tree', async () => {
    const fact = await collectUsers(rootContext(fixtureRoot('rhel9')));
    expect(fact.accounts.find((a) => a.name === 'rocky')?.password_state).toBe('empty');
    expect(fact.privileged.map((p) => p.name)).toEqual(['rocky', 'root']);
  });

  it('still lists users from passwd when shadow is missing', async () => {
    await withTree({ 'etc/passwd': 'root:x:0:0::/root:/bin/bash\n', 'etc/group': 'root:x:0:\n' }, async (root) => {
      const fact = await collectUsers(rootContext(root));
      expect(fact.shadow).toBe('missing');
      expect(fact.accounts).toEqual([
        {
          name: 'root',
          uid: 0,
          gid: 0,
          home: '/root',
          shell: '/bin/bash',
          password_state: 'unknown',
          last_change_days: null,
          min_days: null,
          max_days: null,
          warn_days: null,
          inactive_days: null,
          expire_days: null,
        },
      ]);
    });
  });

  it('reads groups', async () => {
    const groups = await collectGroups(rootContext(fixtureRoot('ubuntu-2204')));
    expect(groups.find((g) => g.name === 'adm')?.members).toEqual(['syslog', 'ubuntu']);
  });
});
