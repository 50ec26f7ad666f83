import { describe, expect, it } from 'vitest';
import { cmdlineParam, grubArgs, splitCmdline } from './kernel-cmdline';
import { parseShellVars } from './kv-files';

describe('kernel command line', () => {
  it('expands earlier GRUB variables and keeps quoted arguments whole', () => {
    const vars = parseShellVars(
      'GRUB_CMDLINE_LINUX="a=1"\nGRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX b"\nGRUB_CMDLINE_LINUX_DEFAULT=\'quiet $X\'\n',
    );
    expect(grubArgs(vars)).toEqual(['a=1', 'b', 'quiet', '$X']);
    expect(splitCmdline(' root=/dev/sda1 x="a b"  ro\n')).toEqual(['root=/dev/sda1', 'x="a b"', 'ro']);
  });

  it.each([
    [['apparmor=0', 'apparmor=1'], 'apparmor', '1'],
    [['quiet'], 'quiet', ''],
    [['selinux=0'], 'apparmor', null],
  ])('%j %s -> %j', (args, name, want) => {
    expect(cmdlineParam(args, name)).toBe(want);
  });
});
