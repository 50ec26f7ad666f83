import { describe, expect, it } from 'vitest';
import { collect } from './index';
import { mergeSshdTest, parseSshdTestOutput } from './parse';
import { fixtureRoot, withTree, rootContext } from '../../../test/support/host-trees';

describe('sshd_config collector on fixture trees', () => {
  it('reads drop-ins in place on the hardened Debian tree', async () => {
    const fact = await collect(rootContext(fixtureRoot('debian12-hardened')));
    expect(fact.source).toBe('files');
    expect(fact.settings.permitrootlogin).toMatchObject({
      value: 'prohibit-password',
      file: '/etc/ssh/sshd_config.d/10-site.conf',
      line: 2,
    });
    expect(fact.settings.maxauthtries?.value).toBe('3');
    expect(fact.settings.passwordauthentication).toMatchObject({ value: 'no', file: '/etc/ssh/sshd_config', line: 5 });
    // 20-crypto.conf is CRLF, uses `=`, quotes and a trailing comment.
    expect(fact.settings.kexalgorithms?.value).toBe('sntrup761x25519-sha512@openssh.com,curve25519-sha256');
    expect(fact.settings.banner?.value).toBe('/etc/issue.net');
    expect(fact.settings.x11forwarding?.value).toBe('no');
    expect(fact.files).toEqual(['/etc/ssh/sshd_config', '/etc/ssh/sshd_config.d/10-site.conf', '/etc/ssh/sshd_config.d/20-crypto.conf']);
    expect(fact.match_blocks).toHaveLength(2);
    expect(fact.match_blocks[0]).toMatchObject({ criteria: 'User deploy', file: '/etc/ssh/sshd_config', line: 6 });
    expect(fact.match_blocks[1]?.settings.permitrootlogin).toMatchObject({ value: 'yes', line: 11 });
  });

  it('follows a nested Include out of sshd_config.d on the RHEL tree (crypto policy back-end)', async () => {
    const fact = await collect(rootContext(fixtureRoot('rhel9')));
    // 40-site.conf sorts before 50-redhat.conf and before the main file's own PermitRootLogin yes.
    expect(fact.settings.permitrootlogin).toMatchObject({ value: 'no', file: '/etc/ssh/sshd_config.d/40-site.conf' });
    expect(fact.settings.ciphers?.file).toBe('/etc/crypto-policies/back-ends/opensshserver.config');
    expect(fact.settings.kbdinteractiveauthentication?.keyword).toBe('ChallengeResponseAuthentication');
  });

  it('lets cloud-init switch passwords on (Ubuntu 22.04)', async () => {
    const fact = await collect(rootContext(fixtureRoot('ubuntu-2204')));
    expect(fact.settings.passwordauthentication).toMatchObject({ value: 'yes', file: '/etc/ssh/sshd_config.d/50-cloud-init.conf' });
  });

  it('fails with PLUMBLINE_ERR_SOURCE_MISSING when there is no sshd_config', async () => {
    await withTree({ 'etc/hostname': 'x\n' }, async (root) => {
      await expect(collect(rootContext(root))).rejects.toMatchObject({
        code: 'PLUMBLINE_ERR_SOURCE_MISSING',
        path: '/etc/ssh/sshd_config',
      });
    });
  });
});

describe('sshd -T output', () => {
  it('keeps sshd -T values with the file and line where the file set them', async () => {
    await withTree(
      {
        'etc/ssh/sshd_config': 'PermitRootLogin without-password\nPort 22\nPort 2022\n',
      },
      async (root) => {
        const parsed = await collect(rootContext(root));
        const test = parseSshdTestOutput('port 22\nport 2022\npermitrootlogin prohibit-password\nmaxauthtries 6\nciphers a,b\n');
        const merged = mergeSshdTest({ ...parsed }, test);
        expect(merged.permitrootlogin).toEqual({
          keyword: 'PermitRootLogin',
          value: 'prohibit-password',
          args: ['prohibit-password'],
          file: '/etc/ssh/sshd_config',
          line: 1,
        });
        expect(merged.port).toMatchObject({ value: '22', values: ['22', '2022'], line: 2 });
        expect(merged.maxauthtries).toEqual({ keyword: 'maxauthtries', value: '6', args: ['6'] });
        expect(Object.keys(merged)).toEqual(['ciphers', 'maxauthtries', 'permitrootlogin', 'port']);
      },
    );
  });
});
