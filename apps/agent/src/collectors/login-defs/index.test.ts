import { describe, expect, it } from 'vitest';
import { collect } from './index';
import { parseLoginDefs } from './parse';
import { fixtureRoot, withTree, rootContext } from '../../../test/support/host-trees';
import { cases } from '../../../test/support/cases';

describe('parseLoginDefs', () => {
  cases(parseLoginDefs, [
    ['PASS_MAX_DAYS\t365', { PASS_MAX_DAYS: { value: '365', line: 1 } }],
    ['  UMASK   027  ', { UMASK: { value: '027', line: 1 } }],
    ['ENV_PATH "PATH=/usr/bin:/bin"', { ENV_PATH: { value: 'PATH=/usr/bin:/bin', line: 1 } }],
    ['# PASS_MAX_DAYS 1\n\nLONE', {}],
    ['UMASK 022\nUMASK 077', { UMASK: { value: '077', line: 2 } }],
  ]);
});

describe('login_defs collector', () => {
  it('types the settings rules use most (Debian hardened)', async () => {
    expect(await collect(rootContext(fixtureRoot('debian12-hardened')))).toMatchObject({
      file: '/etc/login.defs',
      pass_max_days: 365,
      pass_min_days: 1,
      pass_warn_age: 14,
      umask: '027',
      encrypt_method: 'YESCRYPT',
    });
  });

  it('fails with PLUMBLINE_ERR_SOURCE_MISSING without login.defs', async () => {
    await withTree({ 'etc/hostname': 'x\n' }, async (root) => {
      await expect(collect(rootContext(root))).rejects.toMatchObject({ code: 'PLUMBLINE_ERR_SOURCE_MISSING', path: '/etc/login.defs' });
    });
  });
});
