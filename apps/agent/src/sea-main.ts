// The single executable's main script (packaging/sea.mjs): it runs the bundle the command
// needs, carried as an asset, as dist/cli.js runs files (src/launch.ts). The long-running
// `run` and the helper process it starts for each collection load only their own code: a
// process keeps what it loads for as long as it runs, and the helper starts every cycle.
// The one-shot commands and the helper start from the V8 code cache the build made with this
// executable (an asset `<bundle>.cache`), as dist/cli.js does from files; `run` starts once
// and compiles as it goes, since a code cache is deserialized whole.
import path from 'node:path';
import { getAsset, getRawAsset } from 'node:sea';
import { compileCommonJs, runBundle } from './code-cache';

const command = process.argv[2] ?? '';
const bundle = command === 'run' ? 'daemon.cjs' : command === 'collect' || command === 'check-spool' ? 'helper.cjs' : 'agent.cjs';
let cachedData: Buffer | undefined;
try {
  // A view of the executable's own pages, not a copy: V8 only reads it.
  cachedData = Buffer.from(getRawAsset(`${bundle}.cache`) as ArrayBuffer);
} catch {
  // Not built with one (daemon.cjs, or an executable for another architecture).
}
// The bundle's name beside the executable is what stack traces show, and where the build's
// run writes its cache.
const source = { source: getAsset(bundle, 'utf8'), filename: path.join(path.dirname(process.execPath), bundle), cachedData };
if (process.env.PLUMBLINE_CODE_CACHE_CHECK === '1') {
  // The build asks whether V8 takes the cache it made: one word, and nothing is run.
  process.stdout.write(`${compileCommonJs(source).cache}\n`);
} else {
  // The executable's own require (built-in modules only: every bundle carries its dependencies)
  // and its own path as __filename, which the bundles read as their import.meta.url.
  runBundle(source, { require, module, filename: __filename });
}
