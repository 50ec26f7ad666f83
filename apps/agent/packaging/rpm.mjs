// Builds plumbline-agent-<version>-1.<arch>.rpm with rpmbuild (when it is installed).
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;

export const haveRpmbuild = () => spawnSync('rpmbuild', ['--version'], { stdio: 'ignore' }).status === 0;

export async function buildRpm({ version, rpmArch, binary, unit, workDir, outDir, epoch }) {
  const top = path.join(workDir, `rpm-${rpmArch}`);
  rmSync(top, { recursive: true, force: true });
  const sources = path.join(top, 'SOURCES');
  mkdirSync(sources, { recursive: true });
  copyFileSync(binary, path.join(sources, 'plumbline-agent'));
  writeFileSync(path.join(sources, 'plumbline-agent.service'), unit);
  copyFileSync(path.join(here, 'default.env'), path.join(sources, 'default.env'));
  await promisify(execFile)(
    'rpmbuild',
    [
      '-bb',
      '--quiet',
      // Packing a prebuilt foreign-architecture binary: no build happens, so --target is enough.
      '--target',
      `${rpmArch}-linux`,
      '--define',
      `_topdir ${top}`,
      '--define',
      `agent_version ${version}`,
      '--define',
      'use_source_date_epoch_as_buildtime 1',
      '--define',
      'clamp_mtime_to_source_date_epoch 1',
      path.join(here, 'plumbline-agent.spec'),
    ],
    { maxBuffer: 1 << 24, env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) } },
  );
  const dir = path.join(top, 'RPMS', rpmArch);
  const name = readdirSync(dir).find((f) => f.endsWith('.rpm'));
  const out = path.join(outDir, name);
  copyFileSync(path.join(dir, name), out);
  return out;
}
