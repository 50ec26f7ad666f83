import { describe, expect, it } from 'vitest';
import type { FactSet, PackagesFact, ServicesFact } from '@plumbline/protocol/facts';
import { parseRuleFiles } from '../load';
import { evaluate } from './index';

const now = new Date('2026-11-22T00:00:00Z');
const [rule] = parseRuleFiles([
  {
    path: 't.yaml',
    text: `rules:
  - id: plb-t-xinetd
    title: t
    description: d
    rationale: r
    severity: high
    levels: [l1]
    section: { id: '9.9', name: Test }
    remediation: { shell: 'true', ansible: { name: t, ansible.builtin.debug: { msg: x } } }
    references: { cis: [], ssg: [] }
    check:
      not-in-use:
        packages: [xinetd]
        units: [xinetd.service]
        inetd: [telnet]
`,
  },
]).rules;

const pkg = (name: string, extra: Partial<PackagesFact['packages'][number]> = {}) => ({
  name,
  version: '1.0',
  arch: 'amd64',
  status: 'install ok installed',
  installed: true,
  ...extra,
});
const inventory = (...packages: PackagesFact['packages']): PackagesFact => ({ manager: 'dpkg', available: true, reason: null, packages });
const services = (units: Partial<ServicesFact['units'][number]>[] = [], extra: Partial<ServicesFact> = {}): ServicesFact => ({
  source: 'files',
  default_target: null,
  units: [{ unit: 'ssh.service', enabled_state: 'enabled' }, ...units].map((u) => ({
    unit: 'xinetd.service',
    enabled_state: 'disabled',
    active_state: null,
    sub_state: null,
    file: null,
    ...u,
  })),
  inetd: [],
  warnings: [],
  ...extra,
});
const judge = (facts: Partial<FactSet['facts']>, errors: FactSet['errors'] = {}) =>
  evaluate([rule!], { facts: facts as FactSet['facts'], errors }, { now })[0]!;
const needed = inventory(
  pkg('libc6'),
  pkg('xinetd', { provides: ['inet-superserver'] }),
  pkg('inetutils-telnetd', { depends: ['inet-superserver'] }),
);

describe('not-in-use (CIS "X services are not in use")', () => {
  it('passes when the package is not installed, or only its configuration files remain', () => {
    expect(judge({ packages: inventory(pkg('libc6')) }).status).toBe('pass');
    expect(
      judge({ packages: inventory(pkg('libc6'), pkg('xinetd', { installed: false, status: 'deinstall ok config-files' })) }).status,
    ).toBe('pass');
  });

  it('fails an installed package no other installed package depends on, whatever its services', () => {
    const r = judge({ packages: inventory(pkg('libc6'), pkg('xinetd')), services: services() });
    expect(r.status).toBe('fail');
    expect(r.evidence[0]?.observed).toBe('xinetd 1.0 installed, and no installed package depends on it');
  });

  it('lets a package another one needs (directly or through what it provides) stay, with its services off', () => {
    const r = judge({ packages: needed, services: services([{}]) });
    expect(r.status).toBe('pass');
    expect(r.evidence[0]?.observed).toContain('needed by inetutils-telnetd');
    expect(r.evidence[0]?.observed).toContain('cannot be known from a tree');
    const direct = inventory(pkg('libc6'), pkg('xinetd'), pkg('tool', { depends: ['xinetd'] }));
    expect(judge({ packages: direct, services: services([], { source: 'systemctl' }) }).status).toBe('pass');
  });

  it.each([
    ['enabled by a systemd link', { enabled_state: 'enabled' }],
    ['started by SysV rc links', { enabled_state: 'generated', file: '/etc/init.d/xinetd' }],
    ['running now', { enabled_state: 'masked', active_state: 'active' }],
  ])('fails a needed package whose unit is %s', (_label, unit) => {
    expect(judge({ packages: needed, services: services([unit]) }).status).toBe('fail');
  });

  it('fails a needed package whose inetd service is enabled', () => {
    const inetd = [{ daemon: 'xinetd' as const, service: 'telnet', server: null, enabled: true, file: '/etc/xinetd.d/telnet', line: 1 }];
    const r = judge({ packages: needed, services: services([], { inetd }) });
    expect(r.status).toBe('fail');
    expect(r.evidence[1]).toEqual({
      expected: expect.any(String),
      observed: 'xinetd service telnet is enabled',
      source: '/etc/xinetd.d/telnet:1',
    });
  });

  it('is an error, never a pass, when the inventory cannot prove the package absent', () => {
    expect(
      judge({ packages: { manager: 'rpm', available: false, reason: 'rpm database is only read on a live host', packages: [] } }).status,
    ).toBe('error');
    expect(judge({ packages: inventory() }).status).toBe('error');
    expect(judge({}, { packages: { code: 'PLUMBLINE_ERR_SOURCE_MISSING', message: 'gone' } }).status).toBe('error');
    expect(judge({ packages: needed }).status).toBe('error');
    // A tree in which no unit or init script at all was found says nothing about enablement.
    expect(judge({ packages: needed, services: { ...services(), units: [] } }).status).toBe('error');
  });
});
