import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { collectFacts } from '../collectors/index';
import { withTree } from '../../test/support/host-trees';
import { helperLog } from './helper-log';

const linesOf = (level?: string) => {
  const lines: string[] = [];
  return { lines, log: helperLog(level, (l) => lines.push(l)) };
};

describe("the helper process's log", () => {
  it("writes a collector's failure as the agent's pino logger would: one JSON line with level, time, pid, host, fields and message", async () => {
    const { lines, log } = linesOf('info');
    // A tree with little more than an os-release: most collectors find nothing to read.
    await withTree({ 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n' }, (root) => collectFacts({ root, live: false, log }));
    const failures = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'collector failed');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]).toMatchObject({
      level: 40,
      pid: process.pid,
      hostname: hostname(),
      code: expect.stringMatching(/^PLUMBLINE_ERR_/),
    });
    expect(Math.abs((failures[0]!.time as number) - Date.now())).toBeLessThan(60_000);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
  });

  it('keeps to its level: debug only when asked, nothing when silent', () => {
    for (const [level, expected] of [
      ['debug', [20, 40]],
      ['info', [40]],
      ['warn', [40]],
      ['error', []],
      ['silent', []],
    ] as const) {
      const { lines, log } = linesOf(level);
      log.debug({}, 'd');
      log.warn({}, 'w');
      expect(lines.map((l) => (JSON.parse(l) as { level: number }).level)).toEqual(expected);
    }
  });

  it('writes an error with its type, message and stack, and never the value of a token or credential', () => {
    const { lines, log } = linesOf('debug');
    log.debug({ err: new TypeError('sshd -T failed'), token: 'plb_et_secret', nested: { credential: 'plb_ag_secret' } }, 'x');
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line.err).toMatchObject({ type: 'TypeError', message: 'sshd -T failed', stack: expect.stringContaining('TypeError') });
    expect(lines[0]).not.toContain('secret');
    expect(line).toMatchObject({ token: '[redacted]', nested: { credential: '[redacted]' } });
  });
});
