import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteArg, renderUnit, RUNTIME_ENV } from './unit';

const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
let root: string;

/** The unit as `install` writes it, starting this very Node with a real script (verify checks ExecStart). */
async function writeUnit(systemdVersion: number | null): Promise<string> {
  const file = path.join(root, 'etc/systemd/system/plumbline-agent.service');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, renderUnit({ command: [process.execPath, path.resolve(import.meta.dirname, '../cli.ts')], systemdVersion }));
  return file;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'plumbline-unit-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('renderUnit', () => {
  it('carries the runtime environment of runtime-env.json, one Environment= line each', () => {
    const unit = renderUnit({ command: ['/usr/bin/plumbline-agent'] });
    for (const [k, v] of Object.entries(RUNTIME_ENV)) expect(unit).toContain(`Environment=${quoteArg(`${k}=${v}`)}`);
    expect(unit).toContain('StateDirectory=plumbline');
  });

  it('writes the restart backoff only for a systemd that knows it', () => {
    expect(renderUnit({ command: ['/x'], systemdVersion: 252 })).not.toContain('RestartSteps');
    expect(renderUnit({ command: ['/x'], systemdVersion: 254 })).toMatch(/RestartSteps=\d+\nRestartMaxDelaySec=5min/);
  });

  it('opens a custom state directory for writing instead of StateDirectory=', () => {
    const unit = renderUnit({ command: ['/x'], stateDir: '/srv/plumbline state' });
    expect(unit).toContain('ReadWritePaths="/srv/plumbline state"');
    expect(unit).not.toContain('StateDirectory=');
  });

  it.each([
    ['/usr/bin/plumbline-agent', '/usr/bin/plumbline-agent'],
    ['/opt/my agent/bin', '"/opt/my agent/bin"'],
    ['50%', '"50%%"'],
    ['$HOME', '"$$HOME"'],
    ['say "hi"', '"say \\"hi\\""'],
  ])('quotes %s for systemd as %s', (arg, quoted) => expect(quoteArg(arg)).toBe(quoted));
});

describe.skipIf(!hasAnalyze)('systemd-analyze', () => {
  it('rates the unit 3.0 or better (offline, against the staged root)', async () => {
    await writeUnit(null);
    const out = execFileSync(
      'systemd-analyze',
      ['security', '--offline=true', `--root=${root}`, '/etc/systemd/system/plumbline-agent.service'],
      {
        encoding: 'utf8',
      },
    );
    const score = Number(/Overall exposure level for [^:]*: ([\d.]+)/.exec(out)?.[1]);
    expect(score).toBeLessThanOrEqual(3.0);
  });

  it.each([null, 254])('verify finds nothing wrong (systemd %s)', async (version) => {
    const file = await writeUnit(version);
    const res = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    // Directives newer than the systemd here are reported but harmless; anything else is a defect.
    const problems = res.stderr.split('\n').filter((l) => l.trim() && !/Unknown key '(RestartSteps|RestartMaxDelaySec)'/.test(l));
    expect(problems).toEqual([]);
  });
});
