// The single executable's main script (packaging/sea.mjs): it runs the bundle the command
// needs, carried as an asset, as dist/cli.js runs files (src/launch.ts). The long-running
// `run` and the helper process it starts for each collection load only their own code: a
// process keeps what it loads for as long as it runs, and the helper starts every cycle.
import Module from 'node:module';
import path from 'node:path';
import { getAsset } from 'node:sea';
import { Script } from 'node:vm';

const command = process.argv[2] ?? '';
const bundle = command === 'run' ? 'daemon.cjs' : command === 'collect' || command === 'check-spool' ? 'helper.cjs' : 'agent.cjs';
// The bundles start with a #! line (they are also run as files), which a wrapped script cannot.
const source = getAsset(bundle, 'utf8').replace(/^#!.*/, '');
const run = new Script(Module.wrap(source), { filename: path.join(path.dirname(process.execPath), bundle) }).runInThisContext() as (
  ...args: unknown[]
) => void;
// The executable's own require (built-in modules only: every bundle carries its dependencies)
// and its own path as __filename, which the bundles read as their import.meta.url.
run.call(module.exports, module.exports, require, module, __filename, __dirname);
