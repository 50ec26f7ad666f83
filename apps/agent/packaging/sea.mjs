// The agent as a Node single executable application (SEA): one CommonJS script injected
// into a pinned official Node binary, so hosts need no Node of their own.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

/**
 * An esbuild plugin: zod ships error messages in ~45 languages; the agent speaks English. Every
 * other locale becomes an empty module, which keeps ~300 KB out of the agent's memory.
 */
export const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\/[a-z]{2}(-[A-Za-z]+)?\.js$/ }, (args) =>
      /zod[/\\]v4[/\\]locales$/.test(args.resolveDir) && args.path !== './en.js'
        ? { path: args.path, namespace: 'empty-locale' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'empty-locale' }, () => ({ contents: 'export default () => ({});', loader: 'js' }));
  },
};
const agentDir = path.resolve(import.meta.dirname, '..');

/**
 * Node LTS whose binaries the agent ships, from the registry's node-linux-* packages. The
 * SHA-256 of each package tarball is pinned: a changed upstream file fails the build.
 */
export const NODE = {
  version: '24.21.0',
  sha256: {
    x64: '61ecf27ad70afee991b671c28561eb497028294a67d132f9bbaac9ad73f81d3b',
    arm64: 'fba3076c16d21e5d814577436bdcb782b9b66bed09c6fa8278298e8933288bbb',
  },
};
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * The bundles the executable carries as assets, by the name src/sea-main.ts asks for: the
 * long-running `run` and its per-collection helper each start only the code they use, as
 * dist/daemon.js and dist/helper.cjs do (apps/agent/build.mjs); every other command runs the
 * full CLI.
 */
export const SEA_BUNDLES = { 'agent.cjs': 'src/cli.ts', 'daemon.cjs': 'src/daemon.ts', 'helper.cjs': 'src/collection/helper-main.ts' };

/** Bundles the executable's main script (src/sea-main.ts) and its assets into `dir`; returns their paths. */
export async function bundlesForSea(dir) {
  const assets = {};
  for (const [name, entry] of Object.entries(SEA_BUNDLES)) {
    assets[name] = path.join(dir, name);
    await bundleForSea(assets[name], { entry });
  }
  const main = path.join(dir, 'sea-main.cjs');
  await build({
    entryPoints: [path.join(agentDir, 'src/sea-main.ts')],
    outfile: main,
    bundle: true,
    platform: 'node',
    target: `node${NODE.version.split('.')[0]}`,
    format: 'cjs',
    logLevel: 'warning',
  });
  return { main, assets };
}

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * SEA in Node 24 runs one CommonJS script. The agent is ESM with code splitting, so this is
 * a second bundle of the same sources: CJS, one file (dynamic imports inlined). The entry's
 * top-level await is the only construct CJS lacks: its statements after the imports are
 * wrapped in an async function. `entry` is the full CLI by default; the executable also
 * carries `run` alone and its helper process as bundles of their own (see SEA_BUNDLES).
 */
export async function bundleForSea(outFile, { target = `node${NODE.version.split('.')[0]}`, entry: entryFile = 'src/cli.ts' } = {}) {
  const entry = path.join(agentDir, entryFile);
  await build({
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    target,
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    // ws loads these optional native helpers in a try/catch; its pure-JS paths are used.
    external: ['bufferutil', 'utf-8-validate'],
    // In a SEA, __filename is the executable itself.
    define: { 'import.meta.url': '__plumbline_meta_url' },
    banner: { js: "var __plumbline_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [
      {
        name: 'entry-without-top-level-await',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, (args) => {
            if (args.path !== entry) return undefined;
            const text = readFileSync(entry, 'utf8');
            const head = /^(?:\s*(?:#![^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/|import\s[^;]*;))*/.exec(text)[0];
            const body = text.slice(head.length);
            const fail = '(e) => { process.stderr.write(`plumbline-agent: ${e?.stack ?? e}\\n`); process.exitCode = 1; }';
            return {
              contents: `${head}\nvoid (async () => {${body}\n})().catch(${fail});\n`,
              loader: 'ts',
              resolveDir: path.dirname(entry),
            };
          });
        },
      },
      zodEnglishOnly,
    ],
  });
}

/** The official Node binary for `arch` (x64, arm64), fetched once with npm into `cacheDir`. */
export function nodeBinary(arch, cacheDir, workDir) {
  mkdirSync(cacheDir, { recursive: true });
  const tgz = path.join(cacheDir, `node-linux-${arch}-${NODE.version}.tgz`);
  if (!existsSync(tgz)) {
    execFileSync('npm', ['pack', `node-linux-${arch}@${NODE.version}`, '--pack-destination', cacheDir, '--silent'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const got = sha256(tgz);
  if (got !== NODE.sha256[arch]) throw new Error(`${tgz}: SHA-256 ${got}, expected ${NODE.sha256[arch]} (delete it to fetch again)`);
  const dir = path.join(workDir, `node-${arch}`);
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', dir, 'package/bin/node']);
  return path.join(dir, 'package/bin/node');
}

/** Symbols and debug info are 18 MB of the binary; strip them when a strip for that ELF is at hand. */
function strip(file, arch) {
  const tools = arch === (process.arch === 'arm64' ? 'arm64' : 'x64') ? ['strip', 'llvm-strip'] : ['llvm-strip', 'aarch64-linux-gnu-strip'];
  for (const tool of tools) {
    try {
      execFileSync(tool, ['--strip-all', file], { stdio: 'ignore' });
      return tool;
    } catch {
      // not installed, or not for this architecture: try the next
    }
  }
  return null;
}

/**
 * What the executable runs once at build time to make a bundle's V8 code cache, as
 * apps/agent/build.mjs does for dist/: a scan of a fixture tree (the one-shot commands), and a
 * collection of it under the service's environment (the helper `run` starts every cycle). The
 * long-running `run` gets none (a cache is deserialized whole, into memory kept for days).
 */
const fixture = path.join(agentDir, 'fixtures/hosts/debian12-default');
const serviceEnv = JSON.parse(readFileSync(path.join(agentDir, 'runtime-env.json'), 'utf8'));
export const CODE_CACHE_RUNS = [
  { bundle: 'agent.cjs', args: ['scan', '--root', fixture, '--format', 'json'], env: { NODE_OPTIONS: '' } },
  { bundle: 'helper.cjs', args: ['collect', '--root', fixture], env: serviceEnv },
];

/**
 * Builds the preparation blob with the host's own binary of the same Node version, then
 * injects it into each architecture's binary: postject only edits the ELF. The executable for
 * this machine's architecture also carries the code caches it made of its bundles
 * (CODE_CACHE_RUNS): it is built once without them, run, and built again with them; the build
 * fails unless V8 takes them. The other architectures' executables carry none (V8 would refuse
 * a cache made by another architecture's build, and they cannot run here to make their own).
 */
export function buildSea({ script, assets = {}, arches, cacheDir, workDir }) {
  const hostArch = process.arch === 'arm64' ? 'arm64' : 'x64';
  const hostNode = nodeBinary(hostArch, cacheDir, workDir);
  // The runtime flags of runtime-env.json go into the executable too: MemoryDenyWriteExecute=
  // in the unit kills a runtime that has its JIT, so --jitless must not depend on the
  // environment an admin may override.
  const execArgv = serviceEnv.NODE_OPTIONS?.split(/\s+/).filter(Boolean) ?? [];
  const blobOf = (name, withAssets) => {
    const blob = path.join(workDir, `${name}.blob`);
    const config = path.join(workDir, `${name}-config.json`);
    writeFileSync(
      config,
      JSON.stringify({
        main: script,
        assets: withAssets,
        output: blob,
        disableExperimentalSEAWarning: true,
        useSnapshot: false,
        useCodeCache: false,
        execArgv,
      }),
    );
    execFileSync(hostNode, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
    return blob;
  };
  const postject = path.join(path.dirname(require.resolve('postject', { paths: [agentDir] })), 'cli.js');
  const inject = (arch, blob) => {
    const exe = path.join(workDir, `plumbline-agent-${arch}`);
    copyFileSync(nodeBinary(arch, cacheDir, workDir), exe);
    const stripped = strip(exe, arch);
    // postject's ELF library warns about every note section of a stripped binary; its output
    // is shown only when it fails (execFileSync then throws with it).
    execFileSync(process.execPath, [postject, exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE], { stdio: 'pipe' });
    execFileSync('chmod', ['0755', exe]);
    return { file: exe, stripped };
  };

  const plain = blobOf('sea', assets);
  const built = {};
  for (const arch of arches) built[arch] = inject(arch, plain);
  if (built[hostArch]) {
    // The executable writes each cache beside itself, named after the bundle it ran.
    const exe = built[hostArch].file;
    const caches = {};
    for (const { bundle, args, env } of CODE_CACHE_RUNS) {
      execFileSync(exe, args, { env: { ...process.env, ...env, PLUMBLINE_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
      caches[`${bundle}.cache`] = path.join(path.dirname(exe), `${bundle}.cache`);
    }
    built[hostArch] = inject(hostArch, blobOf('sea-cached', { ...assets, ...caches }));
    for (const { bundle, args, env } of CODE_CACHE_RUNS) {
      const got = execFileSync(exe, args, { env: { ...process.env, ...env, PLUMBLINE_CODE_CACHE_CHECK: '1' }, encoding: 'utf8' }).trim();
      if (got !== 'accepted') throw new Error(`the executable's code cache of ${bundle}: ${got}, expected accepted`);
    }
  }
  return built;
}
