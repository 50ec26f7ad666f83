// `pnpm build:agent`: the agent bundle, then self-contained executables (Node SEA) for
// x86_64 and arm64, and from them a .deb, an .rpm (when rpmbuild is installed) and a
// tarball per architecture, with SHA256SUMS and a manifest, into dist/agent/ (or $PLUMBLINE_AGENT_DIST_DIR,
// where the server serves them from). The manifest is written last: the server takes it as "ready".
// PLUMBLINE_AGENT_ARCHES=x86_64,aarch64 builds both architectures (default: this machine's):
// the arm64 executable is built on x86_64 too, but it cannot be smoke-tested here.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildDeb } from '../apps/agent/packaging/deb.mjs';
import { buildRpm, haveRpmbuild } from '../apps/agent/packaging/rpm.mjs';
import { buildSea, bundlesForSea, NODE } from '../apps/agent/packaging/sea.mjs';
import { stageFile, touchTree } from '../apps/agent/packaging/stage.mjs';
import { packagedUnit } from '../apps/agent/packaging/unit.mjs';

const repo = path.resolve(import.meta.dirname, '..');
const agentDir = path.join(repo, 'apps/agent');
const outDir = process.env.PLUMBLINE_AGENT_DIST_DIR ? path.resolve(process.env.PLUMBLINE_AGENT_DIST_DIR) : path.join(repo, 'dist/agent');
// Under node_modules/.cache: kept between builds, never committed, gone with a clean install.
const cacheDir = path.join(repo, 'node_modules/.cache/plumbline-node');
const workDir = path.join(repo, 'node_modules/.cache/plumbline-agent-build');

const ARCHES = [
  { uname: 'x86_64', node: 'x64', deb: 'amd64', rpm: 'x86_64' },
  { uname: 'aarch64', node: 'arm64', deb: 'arm64', rpm: 'aarch64' },
];
const hostUname = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
const wanted = (process.env.PLUMBLINE_AGENT_ARCHES || hostUname).split(',').map((s) => s.trim());
const arches = ARCHES.filter((a) => wanted.includes(a.uname));
if (!arches.length) throw new Error(`PLUMBLINE_AGENT_ARCHES: none of ${wanted.join(', ')} is x86_64 or aarch64`);

const version = JSON.parse(readFileSync(path.join(agentDir, 'package.json'), 'utf8')).version;
// Reproducible timestamps: the last commit's time (a fixed date outside a git checkout).
const epoch = Number(spawnSync('git', ['log', '-1', '--format=%ct'], { cwd: repo, encoding: 'utf8' }).stdout.trim()) || 1_767_225_600;
const started = Date.now();
const step = (what) => console.log(`build-agent: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

step('agent bundle (apps/agent/build.mjs)');
execFileSync(process.execPath, ['build.mjs'], { cwd: agentDir, stdio: 'inherit' });

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
rmSync(workDir, { recursive: true, force: true });
mkdirSync(workDir, { recursive: true });

step('bundles for the executable (its main script, the CLI, `run` and its helper)');
const { main: script, assets } = await bundlesForSea(workDir);

step(`executables from Node ${NODE.version} for ${arches.map((a) => a.uname).join(', ')}`);
const exes = await buildSea({ script, assets, arches: arches.map((a) => a.node), cacheDir, workDir });

// The executable must run on a host without Node: nothing on PATH, an empty environment.
const hostArch = process.arch === 'arm64' ? 'arm64' : 'x64';
if (exes[hostArch]) {
  const res = spawnSync(exes[hostArch].file, ['--version'], { env: { PATH: '/nonexistent' }, encoding: 'utf8' });
  if (res.status !== 0 || res.stdout.trim() !== version) throw new Error(`the built executable does not run: ${res.stderr || res.stdout}`);
}

const unit = await packagedUnit(workDir);
const rpm = haveRpmbuild();
const run = promisify(execFile);

/** Tarball: the executable and the README; `plumbline-agent install` writes everything else. */
async function buildTarball(a, exe) {
  const tarRoot = path.join(workDir, `tar-${a.uname}`);
  const top = `plumbline-agent-${version}-linux-${a.uname}`;
  rmSync(tarRoot, { recursive: true, force: true });
  stageFile(tarRoot, `/${top}/plumbline-agent`, { from: exe, mode: 0o755 });
  stageFile(tarRoot, `/${top}/README.md`, { from: path.join(agentDir, 'packaging/README.md'), mode: 0o644 });
  touchTree(tarRoot, epoch);
  const tarball = path.join(outDir, `${top}.tar.gz`);
  await run('sh', [
    '-c',
    'tar --sort=name --owner=0 --group=0 --numeric-owner -C "$1" -cf - "$2" | gzip -n -6 > "$3"',
    'sh',
    tarRoot,
    top,
    tarball,
  ]);
  return tarball;
}

/** Written in place atomically (a server may be reading it). */
const writeAtomic = (file, text) => {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
};
const done = [];
// install.sh checks every download against SHA256SUMS (`sha256sum -c` format). Both lists are
// rewritten as each package is finished, so a server serving this directory can install the
// first one while the others are still compressing.
function publish(f) {
  const file = path.basename(f.file);
  done.push({ ...f, file, sha256: sha256(path.join(outDir, file)), bytes: statSync(path.join(outDir, file)).size });
  done.sort((a, b) => a.file.localeCompare(b.file));
  writeAtomic(path.join(outDir, 'SHA256SUMS'), done.map((d) => `${d.sha256}  ${d.file}\n`).join(''));
  writeAtomic(path.join(outDir, 'manifest.json'), `${JSON.stringify({ version, node: NODE.version, files: done }, null, 2)}\n`);
  step(`ready: ${file}`);
  return done.at(-1);
}

// Compression dominates: every package of every architecture is built at once.
step(`packages (tarball, .deb${rpm ? ', .rpm' : ''}) for ${arches.map((a) => a.uname).join(', ')}`);
const jobs = arches.flatMap((a) => {
  const exe = exes[a.node].file;
  const common = { version, binary: exe, unit, workDir, outDir, epoch };
  return [
    buildTarball(a, exe).then((f) => publish({ file: f, arch: a.uname, kind: 'tar' })),
    buildDeb({ ...common, debArch: a.deb }).then((f) => publish({ file: f, arch: a.uname, kind: 'deb' })),
    ...(rpm ? [buildRpm({ ...common, rpmArch: a.rpm }).then((f) => publish({ file: f, arch: a.uname, kind: 'rpm' }))] : []),
  ];
});
await Promise.all(jobs);
const files = done;
if (!rpm) console.log('build-agent: rpmbuild not installed, no .rpm (apt-get install -y rpm)');

step('done');
for (const f of files) console.log(`  ${(f.bytes / 1024 / 1024).toFixed(1).padStart(6)} MB  ${f.file}`);
for (const a of arches)
  console.log(
    `  executable ${a.uname}: ${(statSync(exes[a.node].file).size / 1024 / 1024).toFixed(1)} MB${exes[a.node].stripped ? '' : ' (not stripped: no strip tool for it)'}`,
  );
