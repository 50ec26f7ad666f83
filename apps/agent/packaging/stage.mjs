// Small helpers to stage package trees with exact modes and reproducible timestamps.
import { chmodSync, copyFileSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Puts one file at `abs` inside the staging `root`, from a file or a text. */
export function stageFile(root, abs, { from, text, mode }) {
  const file = path.join(root, abs);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  if (from) copyFileSync(from, file);
  else writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

/** Same mtime everywhere, so that the same sources give the same package bytes. */
export function touchTree(dir, epoch) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      chmodSync(p, 0o755);
      touchTree(p, epoch);
    }
    utimesSync(p, epoch, epoch);
  }
  utimesSync(dir, epoch, epoch);
}
