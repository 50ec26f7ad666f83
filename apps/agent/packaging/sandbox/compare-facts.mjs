// Prints how the facts collected in the sandbox differ from the unrestricted ones, and exits
// non-zero when a fact is missing or failed only in the sandbox, or lost detail on the way.
import { readFileSync } from 'node:fs';

const [free, boxed] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));
const names = (s) => Object.keys(s).filter((k) => k !== 'errors');
let worse = 0;
for (const name of names(free)) {
  if (!(name in boxed)) {
    console.log(`MISSING  ${name}: ${boxed.errors?.[name]?.message ?? 'not collected in the sandbox'}`);
    worse++;
  }
}
for (const [name, err] of Object.entries(boxed.errors ?? {})) {
  if (!free.errors?.[name]) {
    console.log(`ERROR    ${name}: ${err.message ?? JSON.stringify(err)}`);
    worse++;
  }
}
// Where restrictions bite quietly: socket owners, the live firewall, mounts, sshd -T.
const owned = (s) => (Array.isArray(s.listening_sockets) ? s.listening_sockets : []).filter((x) => x.executable).length;
const checks = [
  ['sockets with a known executable', owned(free), owned(boxed)],
  ['firewall: nftables ruleset source', free.firewall?.nftables?.ruleset_source ?? null, boxed.firewall?.nftables?.ruleset_source ?? null],
  ['sshd: source', free.sshd_config?.source ?? null, boxed.sshd_config?.source ?? null],
  ['mounts: the same mount table', JSON.stringify(free.mounts?.mounted ?? null) === JSON.stringify(boxed.mounts?.mounted ?? null), true],
  ['updates: available', free.updates?.available ?? null, boxed.updates?.available ?? null],
];
for (const [what, a, b] of checks) {
  const same = JSON.stringify(a) === JSON.stringify(b);
  if (!same) worse++;
  console.log(`${same ? 'same   ' : 'DIFFERS'}  ${what}: ${JSON.stringify(a)}${same ? '' : ` -> ${JSON.stringify(b)}`}`);
}
const differing = names(free).filter((n) => n in boxed && JSON.stringify(free[n]) !== JSON.stringify(boxed[n]));
console.log(
  `facts: ${names(free).length} unrestricted, ${names(boxed).length} in the sandbox; differing: ${differing.join(', ') || 'none'}`,
);
process.exit(worse ? 1 : 0);
