import { chmodSync, cpSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { Writable } from 'node:stream';
import type { CollectContext } from '../../src/collectors/lib/context';

/** Test support: the fixture host trees of apps/agent/fixtures/hosts, temporary host trees and a log we can read back. */
export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/hosts');
/** Every fixture host tree, so a new scenario is covered by the suite-wide tests at once. */
export const SCENARIOS = readdirSync(FIXTURES).sort();

export function fixtureRoot(scenario: string): string {
  return path.join(FIXTURES, scenario);
}

/**
 * Copies a fixture host tree to `<dir>/<host>` and applies the file modes of modes.txt, which a
 * git checkout loses (shadow 0640, sudoers 0440...). Scanners (ours, oscap) then see the modes the
 * tree was captured with; OpenSCAP also writes into the tree it scans, so it must get a copy.
 */
export function copyFixtureTree(host: string, dir: string): string {
  const root = path.join(dir, host);
  cpSync(path.join(FIXTURES, host), root, { recursive: true, verbatimSymlinks: true });
  for (const line of readFileSync(path.join(FIXTURES, '..', 'modes.txt'), 'utf8').split('\n')) {
    const m = /^([0-7]{3,4}) (\S+?)\/(.+)$/.exec(line);
    if (m && m[2] === host) chmodSync(path.join(root, m[3]!), parseInt(m[1]!, 8));
  }
  return root;
}

export interface CapturedLog {
  log: Logger;
  lines: Record<string, unknown>[];
}

export function captureLog(): CapturedLog {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

export function rootContext(root: string, log: Logger = pino({ level: 'silent' })): CollectContext {
  return { root, live: false, log };
}

/** A tree entry: text or bytes for a file, `{ link }` for a symlink, `{ dir: true }` for an empty directory. */
/** File text, a symlink, a directory, or file text with its mode (an executable init script). */
export type TreeEntry = string | Buffer | { link: string } | { dir: true } | { text: string; mode: number };

/** Builds a host tree in a fresh temp dir; returns its path and a cleanup. */
export async function makeTree(entries: Record<string, TreeEntry>): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'plumbline-tree-'));
  for (const [rel, entry] of Object.entries(entries)) {
    const p = path.join(root, rel);
    await mkdir(path.dirname(p), { recursive: true });
    if (typeof entry === 'string' || Buffer.isBuffer(entry)) await writeFile(p, entry);
    else if ('link' in entry) await symlink(entry.link, p);
    else if ('text' in entry) await writeFile(p, entry.text, { mode: entry.mode });
    else await mkdir(p, { recursive: true });
  }
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Runs `fn` on a fresh host tree and removes the tree afterwards, whatever `fn` does. */
export async function withTree<T>(entries: Record<string, TreeEntry>, fn: (root: string) => Promise<T>): Promise<T> {
  const { root, cleanup } = await makeTree(entries);
  try {
    return await fn(root);
  } finally {
    await cleanup();
  }
}
