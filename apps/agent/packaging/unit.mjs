// The packaged unit comes from the same renderer `plumbline-agent install` uses, so the two
// cannot drift apart: the TypeScript module is bundled on the fly and called.
import { build } from 'esbuild';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export async function packagedUnit(workDir) {
  const outfile = path.join(workDir, 'unit.mjs');
  await build({
    entryPoints: [path.resolve(import.meta.dirname, '../src/install/unit.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
  });
  const { renderUnit } = await import(pathToFileURL(outfile).href);
  // The version of systemd on the target is unknown: only directives every supported one knows.
  return renderUnit({ command: ['/usr/bin/plumbline-agent'], systemdVersion: null });
}
