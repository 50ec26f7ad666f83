// The agent's packaged executable for the benches' `--packaged`: the one in the tarball `pnpm
// build:agent` writes (dist/agent/), extracted as a host extracts it. Not the build's own copy
// in its work directory: the build writes that file in a few large writes, and the page cache
// then holds it in large folios that the kernel maps whole, which counted 8-20 MB of the
// runtime's binary as resident that a host never has resident (a file tar or dpkg wrote, or one
// read back from disk, maps page by page).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** The tarball for this machine's architecture, or null when none has been built. */
export function packagedTarball(repo) {
  const arch = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
  const dist = path.join(repo, 'dist/agent');
  const name = existsSync(dist) ? readdirSync(dist).find((f) => f.endsWith(`-linux-${arch}.tar.gz`)) : undefined;
  return name ? path.join(dist, name) : null;
}

/** Extracts the packaged executable into `dir` and returns its path. */
export function extractPackaged(repo, dir) {
  const tarball = packagedTarball(repo);
  if (!tarball) throw new Error('no packaged agent in dist/agent/: run `pnpm build:agent` first');
  execFileSync('tar', ['-xzf', tarball, '-C', dir]);
  return path.join(dir, path.basename(tarball, '.tar.gz'), 'plumbline-agent');
}
