import { describe, expect, it } from 'vitest';
import { collectPam, collectPasswordPolicy } from './index';
import { derivePolicy, parsePamFile } from './parse';
import { fixtureRoot, rootContext, withTree } from '../../../test/support/host-trees';

describe('parsePamFile', () => {
  it.each([
    [
      'auth\t[success=1 default=ignore]\tpam_unix.so nullok',
      { type: 'auth', control: '[success=1 default=ignore]', module: 'pam_unix.so', args: ['nullok'], optional: false },
    ],
    ['-session optional pam_systemd.so', { type: 'session', control: 'optional', module: 'pam_systemd.so', args: [], optional: true }],
    ['@include common-auth', { type: '@include', control: '', module: 'common-auth', args: [] }],
    ['password requisite pam_pwquality.so \\\n  retry=3 # comment', { type: 'password', module: 'pam_pwquality.so', args: ['retry=3'] }],
    ['auth required pam_succeed_if.so [user ingroup wheel]', { args: ['[user ingroup wheel]'] }],
  ])('%j', (text, want) => {
    expect(parsePamFile(`# head\n${text}\n`, '/etc/pam.d/x')[0]).toMatchObject({ ...want, line: 2 });
  });
});

describe('derivePolicy', () => {
  it('lets module arguments override the configuration files', () => {
    const entries = parsePamFile(
      'auth required pam_faillock.so preauth deny=3\npassword requisite pam_pwquality.so minlen=10\npassword sufficient pam_unix.so sha512 remember=4\n',
      '/etc/pam.d/system-auth',
    );
    const p = derivePolicy(entries, {
      pwquality: { minlen: { value: '14', file: '/etc/security/pwquality.conf', line: 1 } },
      faillock: {
        deny: { value: '5', file: '/etc/security/faillock.conf', line: 2 },
        unlock_time: { value: '0', file: '/etc/security/faillock.conf', line: 3 },
      },
      pwhistory: {},
    });
    expect(p.pwquality.settings.minlen).toEqual({ value: '10', file: '/etc/pam.d/system-auth', line: 2 });
    expect(p.faillock).toMatchObject({
      enabled: true,
      deny: { value: '3', line: 1 },
      unlock_time: { value: '0', file: '/etc/security/faillock.conf' },
    });
    expect(p.faillock.settings.preauth).toBeUndefined();
    expect(p.unix).toEqual({
      hashing: { value: 'sha512', file: '/etc/pam.d/system-auth', line: 3 },
      remember: { value: '4', file: '/etc/pam.d/system-auth', line: 3 },
      nullok: [],
    });
    expect(p.pwhistory.enabled).toBe(false);
  });
});

describe('pam and password_policy collectors', () => {
  it('reads Debian defaults: yescrypt, nullok, no su restriction', async () => {
    const pam = await collectPam(rootContext(fixtureRoot('debian12-default')));
    expect(pam.files).toEqual(['/etc/pam.d/common-auth', '/etc/pam.d/common-account', '/etc/pam.d/common-password', '/etc/pam.d/su']);
    const p = await collectPasswordPolicy(rootContext(fixtureRoot('debian12-default')));
    expect(p.unix.hashing?.value).toBe('yescrypt');
    expect(p.unix.nullok).toEqual([{ file: '/etc/pam.d/common-auth', line: 17 }]);
    expect(p.su_wheel.enabled).toBe(false); // the pam_wheel lines are commented out
  });

  it('lets pwquality.conf win over pwquality.conf.d, as libpwquality does, and reads faillock.conf (Debian hardened)', async () => {
    const p = await collectPasswordPolicy(rootContext(fixtureRoot('debian12-hardened')));
    // libpwquality reads the drop-ins first and the main file last: its minlen = 8 wins over 50-cis.conf's 14.
    expect(p.pwquality.settings.minlen).toEqual({ value: '8', file: '/etc/security/pwquality.conf', line: 11 });
    expect(p.pwquality.settings.minclass).toEqual({ value: '4', file: '/etc/security/pwquality.conf.d/50-cis.conf', line: 3 });
    expect(p.faillock).toMatchObject({
      enabled: true,
      deny: { value: '5', file: '/etc/security/faillock.conf', line: 11 },
      unlock_time: { value: '900' },
    });
    expect(p.pwhistory.remember).toEqual({ value: '24', file: '/etc/pam.d/common-password', line: 15 });
    expect(p.su_wheel).toEqual({ enabled: true, group: 'sugroup', file: '/etc/pam.d/su', line: 15 });
    expect(p.unix.nullok).toEqual([]);
  });

  it('reads authselect stacks (RHEL): the first file using a module is reported', async () => {
    const p = await collectPasswordPolicy(rootContext(fixtureRoot('rhel9')));
    expect(p.faillock.deny).toBeNull(); // system-auth sets none; password-auth's deny=10 is a second stack
    expect(p.unix.hashing?.value).toBe('sha512');
    expect(p.su_wheel).toMatchObject({ enabled: true, group: null });
    expect(p.pwquality.settings.minlen?.value).toBe('12');
  });

  it('fails with PLUMBLINE_ERR_SOURCE_MISSING, not an empty policy, when no auth/password stack exists', async () => {
    await withTree({ 'etc/pam.d/su': 'auth required pam_wheel.so\n' }, async (root) => {
      await expect(collectPasswordPolicy(rootContext(root))).rejects.toMatchObject({
        code: 'PLUMBLINE_ERR_SOURCE_MISSING',
        path: '/etc/pam.d',
      });
    });
  });
});
