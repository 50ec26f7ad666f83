import path from 'node:path';
import { runCommonJs } from '../code-cache';

// dist/helper-entry.cjs: what `plumbline-agent run` starts for each collection when it runs
// from the bundle (not as the single executable). CommonJS, so Node starts without its ES
// module loader (about 9 ms of CPU a cycle), and the helper bundle from its code cache.
runCommonJs(path.join(__dirname, 'helper.cjs'));
