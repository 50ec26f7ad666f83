import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { collect as collectKernel } from './index';
import { newestConfig, parseKernelConfig } from './parse';
import { fixtureRoot, withTree, rootContext } from '../../../test/support/host-trees';

describe('kernel_config', () => {
  it('reads y/m/n/values and marks options the kernel does not have as null', () => {
    expect(
      parseKernelConfig('CONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\nCONFIG_LSM="yama,apparmor"\n', [
        'CONFIG_A',
        'CONFIG_B',
        'CONFIG_C',
        'CONFIG_LSM',
        'CONFIG_D',
      ]),
    ).toEqual({
      CONFIG_A: 'y',
      CONFIG_B: 'm',
      CONFIG_C: 'n',
      CONFIG_LSM: 'yama,apparmor',
      CONFIG_D: null,
    });
  });

  it('picks the newest config by version, not by bytes (Ubuntu 22.04: -119 after -97)', async () => {
    expect(newestConfig(['config-5.15.0-97-generic', 'config-5.15.0-119-generic', 'vmlinuz'])).toBe('config-5.15.0-119-generic');
    const fact = await collectKernel(rootContext(fixtureRoot('ubuntu-2204')));
    expect(fact).toMatchObject({ file: '/boot/config-5.15.0-119-generic', release: '5.15.0-119-generic' });
    expect(fact.options.CONFIG_SECURITY_YAMA).toBe('y');
    expect((await collectKernel(rootContext(fixtureRoot('rhel9')))).options.CONFIG_SECURITY_APPARMOR).toBe('n');
  });

  it("on a live host without /boot/config-<release>, reads the running kernel's /proc/config.gz", async () => {
    const gz = gzipSync('CONFIG_SECURITY_YAMA=y\n# CONFIG_SECURITY_APPARMOR is not set\n');
    await withTree({ 'proc/sys/kernel/osrelease': '6.1.0-27-amd64\n', 'proc/config.gz': gz }, async (root) => {
      const fact = await collectKernel({ ...rootContext(root), live: true });
      expect(fact).toMatchObject({ file: '/proc/config.gz', release: '6.1.0-27-amd64' });
      expect(fact.options).toMatchObject({ CONFIG_SECURITY_YAMA: 'y', CONFIG_SECURITY_APPARMOR: 'n' });
    });
  });

  it('fails with PLUMBLINE_ERR_SOURCE_MISSING without /boot/config-*', async () => {
    await withTree({ 'boot/vmlinuz-6.1': '' }, async (root) => {
      await expect(collectKernel(rootContext(root))).rejects.toMatchObject({ code: 'PLUMBLINE_ERR_SOURCE_MISSING', path: '/boot' });
    });
  });
});
