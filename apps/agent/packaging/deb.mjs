// Builds plumbline-agent_<version>_<arch>.deb with dpkg-deb from a staged tree.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stageFile, touchTree } from './stage.mjs';

const here = import.meta.dirname;

/** Only the C and C++ runtimes the official Node binary links against; never node itself. */
const DEPENDS = 'libc6 (>= 2.28), libstdc++6 (>= 5.2), libgcc-s1 | libgcc1';

export async function buildDeb({ version, debArch, binary, unit, workDir, outDir, epoch }) {
  const root = path.join(workDir, `deb-${debArch}`);
  rmSync(root, { recursive: true, force: true });
  stageFile(root, '/usr/bin/plumbline-agent', { from: binary, mode: 0o755 });
  // /usr/lib/systemd/system: where Debian 13 puts units, and the same directory as /lib/...
  // on merged-/usr systems (Debian 12, Ubuntu); systemd reads both on older ones. It also
  // lists last in the package, after the 100 MB executable, so that a reader looking for
  // the unit (`dpkg-deb -c x.deb | grep -q`) does not cut dpkg-deb's listing short.
  stageFile(root, '/usr/lib/systemd/system/plumbline-agent.service', { text: unit, mode: 0o644 });
  stageFile(root, '/etc/default/plumbline-agent', { from: path.join(here, 'default.env'), mode: 0o644 });
  const installedKb = Math.ceil((statSync(binary).size + unit.length + 8192) / 1024);
  const control = path.join(root, 'DEBIAN');
  mkdirSync(control, { recursive: true });
  writeFileSync(
    path.join(control, 'control'),
    [
      'Package: plumbline-agent',
      `Version: ${version}`,
      `Architecture: ${debArch}`,
      'Maintainer: Plumbline maintainers <maintainers@plumbline.invalid>',
      `Installed-Size: ${installedKb}`,
      `Depends: ${DEPENDS}`,
      'Section: admin',
      'Priority: optional',
      'Description: Plumbline agent: streams host compliance facts to a Plumbline server',
      ' A self-contained executable (it brings its own runtime) that collects the',
      " host's effective configuration and listening services and streams them to",
      ' the Plumbline server, under a locked-down systemd unit. Enroll and start it',
      ' with: plumbline-agent install --server URL --token TOKEN',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(control, 'conffiles'), '/etc/default/plumbline-agent\n');
  for (const s of ['postinst', 'prerm', 'postrm']) {
    copyFileSync(path.join(here, 'deb', s), path.join(control, s));
    chmodSync(path.join(control, s), 0o755);
  }
  touchTree(root, epoch);
  const out = path.join(outDir, `plumbline-agent_${version}_${debArch}.deb`);
  // xz -3: within 10% of the default's size at half its time, for a 100 MB executable.
  await promisify(execFile)('dpkg-deb', ['--root-owner-group', '-Zxz', '-z3', '--build', root, out], {
    maxBuffer: 1 << 24,
    env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) },
  });
  return out;
}
