import type { ServicesFact, ServiceUnit } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { runCommand } from '../lib/exec';
import { statUnderRoot } from '../lib/root-fs';
import { compareBytes } from '../lib/order';
import { defaultTarget, scanUnitFiles } from '../lib/systemd-units';
import { parseListUnitFiles, parseListUnits, isReported } from './parse';
import { inetdServices, sysvUnits } from './read-legacy';

const COMMON = ['--type=service,socket,timer', '--no-legend', '--no-pager'];

export async function collect(ctx: CollectContext): Promise<ServicesFact> {
  const files = await scanUnitFiles(ctx.root, isReported);
  const byUnit = new Map<string, ServiceUnit>(
    files.map((f) => [f.unit, { unit: f.unit, enabled_state: f.enabled_state, active_state: null, sub_state: null, file: f.file }]),
  );
  for (const u of await sysvUnits(ctx.root, new Set(byUnit.keys()))) byUnit.set(u.unit, u);
  const warnings: string[] = [];
  let source: ServicesFact['source'] = 'files';
  // systemctl only adds to the unit files when systemd runs (sd_booted: /run/systemd/system);
  // otherwise it reads the same files, slowly.
  const booted = ctx.live && (await statUnderRoot(ctx.root, '/run/systemd/system').catch(() => null)) !== null;
  if (ctx.live && !booted) warnings.push('systemd is not running: enabled states come from the unit files, active states are unknown');
  if (booted) {
    const unitFiles = await systemctl(['list-unit-files', ...COMMON], warnings);
    const units = await systemctl(['list-units', '--all', '--plain', ...COMMON], warnings);
    const blank = (unit: string): ServiceUnit => ({ unit, enabled_state: null, active_state: null, sub_state: null, file: null });
    if (unitFiles !== null) {
      source = 'systemctl';
      for (const [unit, state] of parseListUnitFiles(unitFiles))
        byUnit.set(unit, { ...(byUnit.get(unit) ?? blank(unit)), enabled_state: state });
    }
    if (units !== null) {
      for (const [unit, { active, sub }] of parseListUnits(units)) {
        byUnit.set(unit, { ...(byUnit.get(unit) ?? blank(unit)), active_state: active, sub_state: sub });
      }
    }
  }
  return {
    source,
    default_target: await defaultTarget(ctx.root),
    units: [...byUnit.values()].sort((a, b) => compareBytes(a.unit, b.unit)),
    inetd: await inetdServices(ctx.root),
    warnings,
  };
}

/** stdout of a read-only systemctl query, or null (with a warning) when it cannot answer, e.g. in a container without systemd. */
async function systemctl(args: string[], warnings: string[]): Promise<string | null> {
  try {
    const res = await runCommand('systemctl', args, { timeoutMs: 10_000 });
    if (res.code === 0) return res.stdout;
    warnings.push(`systemctl ${args[0]} exited ${res.code}: ${res.stderr.trim().split('\n')[0] ?? ''}`);
  } catch (err) {
    warnings.push(`systemctl ${args[0]}: ${(err as Error).message}`);
  }
  return null;
}
