// Fact sets for simulated agents: real ones, collected once per fixture tree by the built
// agent, then varied per agent (name, machine id, listening ports, sysctl values) so the
// server does not see 10,000 copies of six hosts, and changed over time in ways that a
// rule or a drift view would care about.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Mirrors packages/protocol/src/digest.ts (plain JS, so the bench needs no build step).
 * Should the two ever drift, the server answers every snapshot with a resync, which the
 * bench counts and reports, so a mismatch cannot go unnoticed.
 */
export function canonicalJson(value) {
  return JSON.stringify(value, (_key, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted = {};
      for (const k of Object.keys(v).sort()) sorted[k] = v[k];
      return sorted;
    }
    return v;
  });
}

const sha256 = (text) => createHash('sha256').update(text).digest('base64url');
/** The protocol version the simulated agents speak, as the current agent does. */
export const PROTOCOL_VERSION = 2;
/** Each fact's digest (sha256 of its canonical JSON), by name. */
export const factDigests = (facts) =>
  new Map(
    Object.keys(facts)
      .filter((n) => facts[n] !== undefined)
      .map((n) => [n, sha256(canonicalJson(facts[n]))]),
  );
/** A fact set's digest, protocol version 2: of its facts' digests (`factDigests`). */
export const digestOfDigests = (perFact, errors) => sha256(canonicalJson({ errors, facts: Object.fromEntries(perFact) }));

/** Runs `plumbline-agent facts --root` on every fixture tree; returns [{ name, facts, errors }]. */
export function loadFixtures(repo) {
  const dir = path.join(repo, 'apps/agent/fixtures/hosts');
  const cli = path.join(repo, 'apps/agent/dist/cli.js');
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const out = execFileSync(process.execPath, [cli, 'facts', '--root', path.join(dir, name)], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const { errors, ...facts } = JSON.parse(out);
      return { name, facts, errors };
    });
}

const SYSCTL_CHOICES = {
  'net.ipv4.ip_forward': ['0', '1'],
  'net.ipv4.tcp_syncookies': ['0', '1'],
  'kernel.randomize_va_space': ['0', '1', '2'],
  'net.ipv4.conf.all.accept_redirects': ['0', '1'],
};
const pick = (rng, list) => list[Math.floor(rng() * list.length)];
const sysctlSource = (key) => `/proc/sys/${key.replaceAll('.', '/')}`;

/** A small seeded generator, so a run with the same agent count makes the same fleet. */
export function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

/** Agent i's facts: a fixture with its own identity, a random subset of its listeners and sysctl values. */
export function agentFacts(fixture, i, random) {
  const base = fixture.facts;
  const hostname = `fleet-${String(i).padStart(5, '0')}-${fixture.name}`;
  const machineId = createHash('md5').update(hostname).digest('hex');
  const facts = { ...base, host: { ...base.host, hostname, machine_id: machineId } };
  if (Array.isArray(base.listening_sockets)) {
    // Keep ssh; drop any other listener with probability 0.3.
    facts.listening_sockets = base.listening_sockets.filter((s) => s.port === 22 || random() > 0.3);
  }
  if (base.sysctl) {
    const runtime = { ...(base.sysctl.runtime ?? {}) };
    for (const [key, values] of Object.entries(SYSCTL_CHOICES)) runtime[key] = { value: pick(random, values), source: sysctlSource(key) };
    facts.sysctl = { ...base.sysctl, runtime };
  }
  return facts;
}

/**
 * One tracked change on top of `facts`: a new listening port, a sysctl flipped, or sshd's
 * PermitRootLogin changed. Returns the new facts, the fact name for the delta's `set`, the
 * path prefix the server's live event will name, and how many change rows the server's
 * path-level diff stores for it (used to check that nothing was lost or doubled).
 */
export function changeFacts(facts, random, n, tries = 0) {
  if (tries > 3) throw new Error('these facts have nothing the simulator knows how to change');
  const kind = n % 3;
  if (kind === 0 && Array.isArray(facts.listening_sockets)) {
    const port = 10_000 + n * 7 + Math.floor(random() * 7);
    const socket = {
      protocol: 'tcp',
      address: '0.0.0.0',
      port,
      inode: 900_000 + n,
      uid: 0,
      pid: 4242,
      process: 'sim-listener',
      executable: '/usr/local/bin/sim-listener',
      unit: null,
      package: null,
    };
    return {
      facts: { ...facts, listening_sockets: [...facts.listening_sockets, socket] },
      fact: 'listening_sockets',
      path: 'listening_sockets',
      rows: 1,
    };
  }
  if (kind === 1 && facts.sysctl?.runtime) {
    const key = pick(random, Object.keys(SYSCTL_CHOICES));
    const old = facts.sysctl.runtime[key]?.value;
    const value = SYSCTL_CHOICES[key].find((v) => v !== old) ?? '0';
    const runtime = { ...facts.sysctl.runtime, [key]: { value, source: sysctlSource(key) } };
    return { facts: { ...facts, sysctl: { ...facts.sysctl, runtime } }, fact: 'sysctl', path: `sysctl.runtime.${key}`, rows: 1 };
  }
  if (facts.sshd_config?.settings) {
    const settings = facts.sshd_config.settings;
    const old = settings.permitrootlogin;
    const value = old?.value === 'no' ? 'yes' : 'no';
    const setting = {
      keyword: 'PermitRootLogin',
      value,
      args: [value],
      file: old?.file ?? facts.sshd_config.main_file ?? '/etc/ssh/sshd_config',
      line: old?.line ?? 1,
    };
    // A new setting is one added path; a changed one changes its value and its args.
    const rows = old
      ? Number(old.value !== value) +
        Number(canonicalJson(old.args) !== canonicalJson(setting.args)) +
        Number(old.keyword !== setting.keyword)
      : 1;
    const sshd = { ...facts.sshd_config, settings: { ...settings, permitrootlogin: setting } };
    return { facts: { ...facts, sshd_config: sshd }, fact: 'sshd_config', path: 'sshd_config.settings.permitrootlogin', rows };
  }
  return changeFacts(facts, random, n + 1, tries + 1);
}
