import type { PackagesFact, ServicesFact } from '@plumbline/protocol/facts';
import type { z } from 'zod';
import type { NotInUseCondition } from '../schema';
import { inventoryKnown, inventoryUnknownReason, packagesByName } from './domain';
import { factSource, factValue } from './facts';
import { FactUnavailable, type Env, type Evidence, type Outcome } from './types';

type Packages = z.infer<typeof PackagesFact>;
type Services = z.infer<typeof ServicesFact>;

/** Unit file states under which systemd starts the unit at boot (or a generator made it to be started). */
const ENABLED = new Set(['enabled', 'enabled-runtime', 'alias', 'indirect', 'generated', 'linked', 'linked-runtime']);
const RUNNING = new Set(['active', 'activating', 'reloading', 'deactivating']);

/**
 * CIS's audit of "X services are not in use": the package is not installed; where another
 * installed package depends on it (Depends or Pre-Depends, directly or through a virtual
 * package it provides), it may stay, but then none of its units or inetd services may be
 * enabled or active. An inventory that cannot be read, or is empty, proves nothing.
 */
export function evalNotInUse(c: NotInUseCondition, env: Env): Outcome {
  const spec = c['not-in-use'];
  const pk = factValue(env, 'packages') as Packages;
  const source = factSource(env, 'packages');
  const label = spec.packages.join(' | ');
  const expected = `${label} not installed, or needed by another installed package and its services neither enabled nor active`;
  if (!inventoryKnown(pk)) {
    throw new FactUnavailable('packages', {
      expected: `package inventory to check ${label}`,
      observed: inventoryUnknownReason(pk),
      source,
    });
  }
  const byName = packagesByName(pk);
  const installed = spec.packages.flatMap((n) => byName.get(n) ?? []).filter((p) => p.installed);
  if (!installed.length) return { ok: true, evidence: [{ expected, observed: `${label}: not installed`, source }] };
  const ours = new Set(spec.packages);
  const needs = new Map<string, string[]>();
  for (const p of installed) {
    const names = new Set([p.name, ...(p.provides ?? [])]);
    const by = pk.packages
      .filter((q) => q.installed && !ours.has(q.name) && (q.depends ?? []).some((d) => names.has(d)))
      .map((q) => q.name);
    needs.set(p.name, by);
  }
  const what = (p: (typeof installed)[number]) => `${p.name} ${p.version}`;
  const unneeded = installed.filter((p) => !needs.get(p.name)?.length);
  if (unneeded.length) {
    return {
      ok: false,
      evidence: unneeded.map((p) => ({ expected, observed: `${what(p)} installed, and no installed package depends on it`, source })),
    };
  }
  const services = factValue(env, 'services') as Services;
  if (services.units.length === 0) {
    // Not a host without services: a tree (or a manager) that showed none, so enablement is unknown.
    throw new FactUnavailable('services', {
      expected: `the units of ${label} known`,
      observed: 'no systemd unit or init script was found at all',
      source: factSource(env, 'services'),
    });
  }
  const units = new Set(spec.units ?? []);
  const inetd = new Set(spec.inetd ?? []);
  const bad: Evidence[] = [];
  for (const u of services.units) {
    if (!units.has(u.unit)) continue;
    const where = u.file ?? 'systemctl';
    if (u.enabled_state && ENABLED.has(u.enabled_state)) {
      const how =
        u.enabled_state === 'generated'
          ? 'started at boot (systemd generates it from an init script with rc?.d start links)'
          : u.enabled_state;
      bad.push({ expected, observed: `${u.unit} is ${how}`, source: where });
    }
    if (u.active_state && RUNNING.has(u.active_state)) bad.push({ expected, observed: `${u.unit} is ${u.active_state}`, source: where });
  }
  for (const s of services.inetd) {
    if (inetd.has(s.service) && s.enabled)
      bad.push({ expected, observed: `${s.daemon} service ${s.service} is enabled`, source: `${s.file}:${s.line}` });
  }
  const needed = installed.map((p) => `${what(p)} installed, needed by ${(needs.get(p.name) ?? []).slice(0, 5).join(', ')}`).join('; ');
  if (bad.length) return { ok: false, evidence: [{ expected, observed: needed, source }, ...bad] };
  const offline = services.source === 'files' && services.units.every((u) => u.active_state === null);
  const off = `${[...units, ...[...inetd].map((s) => `inetd ${s}`)].join(', ') || 'its services'} not enabled`;
  return {
    ok: true,
    evidence: [
      {
        expected,
        observed: `${needed}; ${off}${offline ? '; whether they are active cannot be known from a tree (offline scan): judged on enablement' : ', not active'}`,
        source,
      },
    ],
  };
}
