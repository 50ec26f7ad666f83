// A config that includes itself fans out without end: the parse must stop, as sshd does.
import { describe, expect, it } from 'vitest';
import { parseSshdConfig } from './parse';

describe('parseSshdConfig on an Include cycle', () => {
  it('reads a bounded number of files and warns', async () => {
    let reads = 0;
    const source = {
      read: async (f: string) => {
        // Past the budget, pretend files vanish, so the test ends either way.
        if (++reads > 5000) return null;
        return f === '/etc/ssh/sshd_config' ? 'Include /etc/ssh/sshd_config\nInclude /etc/ssh/sshd_config\nPort 22\n' : null;
      },
      glob: async (pattern: string) => [pattern],
    };
    const parsed = await parseSshdConfig(source);
    expect(reads).toBeLessThanOrEqual(256);
    expect(parsed?.warnings.some((w) => /deeper|recursive|loop/i.test(w))).toBe(true);
  });
});
