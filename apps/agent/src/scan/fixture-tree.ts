import { chmodSync, cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Test support: the fixture host trees of apps/agent/fixtures/hosts. */
export const FIXTURE_HOSTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/hosts');

/**
 * Copies a fixture host tree to `<dir>/<host>` and applies the file modes of modes.txt, which a
 * git checkout loses (shadow 0640, sudoers 0440...). Scanners (ours, oscap) then see the modes the
 * tree was captured with; OpenSCAP also writes into the tree it scans, so it must get a copy.
 */
export function copyFixtureTree(host: string, dir: string): string {
  const root = path.join(dir, host);
  cpSync(path.join(FIXTURE_HOSTS, host), root, { recursive: true, verbatimSymlinks: true });
  for (const line of readFileSync(path.join(FIXTURE_HOSTS, '..', 'modes.txt'), 'utf8').split('\n')) {
    const m = /^([0-7]{3,4}) (\S+?)\/(.+)$/.exec(line);
    if (m && m[2] === host) chmodSync(path.join(root, m[3]!), parseInt(m[1]!, 8));
  }
  return root;
}
