import { describe, expect, it } from 'vitest';
import type { FactSet } from '@plumbline/protocol/facts';
import { parseRuleFiles } from '../load';
import { applyWaivers, hostFigures, score } from '../score';
import { evaluate } from './index';

const now = new Date('2026-11-22T00:00:00Z');

/** Rules from YAML text, the way content is written. */
function rules(yaml: string) {
  const r = parseRuleFiles([{ path: 't.yaml', text: yaml }]);
  expect(r.problems).toEqual([]);
  return r.rules;
}
const base = (id: string, check: string, extra = '') => `
  - id: ${id}
    title: t
    description: d
    rationale: r
    severity: high
    levels: [l1]
    section: { id: '9.9', name: Test }
    remediation: { shell: 'true', ansible: { name: t, ansible.builtin.debug: { msg: x } } }
    references: { cis: [], ssg: [] }
    check: ${check}
${extra}`;
const facts = (f: Record<string, unknown>, errors: FactSet['errors'] = {}): FactSet => ({ facts: f as FactSet['facts'], errors });
const users = (list: { name: string; uid: number }[]) => ({
  shadow: 'read',
  privileged: [],
  accounts: list.map((u) => ({
    ...u,
    gid: u.uid,
    home: '/',
    shell: '/bin/sh',
    password_state: 'locked',
    last_change_days: null,
    min_days: null,
    max_days: null,
    warn_days: null,
    inactive_days: null,
    expire_days: null,
  })),
});

describe('combinators are three-valued', () => {
  const T = `{ fact: users, path: shadow, op: eq, value: read }`;
  const F = `{ fact: users, path: shadow, op: eq, value: missing }`;
  const E = `{ fact: groups, path: [], op: not-empty }`;
  const table: [string, string][] = [
    [`{ all: [${T}, ${T}] }`, 'pass'],
    [`{ all: [${T}, ${F}] }`, 'fail'],
    [`{ all: [${F}, ${E}] }`, 'fail'],
    [`{ all: [${T}, ${E}] }`, 'error'],
    [`{ any: [${F}, ${T}] }`, 'pass'],
    [`{ any: [${E}, ${T}] }`, 'pass'],
    [`{ any: [${F}, ${E}] }`, 'error'],
    [`{ any: [${F}, ${F}] }`, 'fail'],
    [`{ none: [${F}, ${F}] }`, 'pass'],
    [`{ none: [${F}, ${T}] }`, 'fail'],
    [`{ none: [${F}, ${E}] }`, 'error'],
  ];
  it.each(table)('%s -> %s', (check, want) => {
    const [r] = evaluate(
      rules(`rules:${base('plb-t-x', check)}`),
      facts({ users: users([]) }, { groups: { code: 'PLUMBLINE_ERR_PARSE', message: 'bad' } }),
      { now },
    );
    expect(r?.status).toBe(want);
  });
});

describe('list quantifiers', () => {
  const u = users([
    { name: 'root', uid: 0 },
    { name: 'toor', uid: 0 },
    { name: 'alice', uid: 1000 },
  ]);
  const table: [string, string][] = [
    [`{ fact: users, list: accounts, where: { path: uid, op: eq, value: 0 }, all: { path: name, op: eq, value: root } }`, 'fail'],
    [`{ fact: users, list: accounts, any: { path: name, op: eq, value: alice } }`, 'pass'],
    [`{ fact: users, list: accounts, none: { path: uid, op: gt, value: 5000 } }`, 'pass'],
    [`{ fact: users, list: accounts, where: { path: uid, op: eq, value: 0 }, count: { op: eq, value: 2 } }`, 'pass'],
    [`{ fact: users, list: accounts, count: { op: lt, value: 3 } }`, 'fail'],
    [`{ fact: users, path: accounts, transform: [{ pluck: uid }, duplicates], op: empty }`, 'fail'],
  ];
  it.each(table)('%s -> %s', (check, want) => {
    const [r] = evaluate(rules(`rules:${base('plb-t-x', check)}`), facts({ users: u }), { now });
    expect(r?.status).toBe(want);
  });
  it('names the offending element in the evidence', () => {
    const [r] = evaluate(rules(`rules:${base('plb-t-x', table[0]![0])}`), facts({ users: u }), { now });
    expect(r?.evidence[0]?.observed).toContain('toor');
  });
});

describe('fact errors and absence', () => {
  const rs = rules(
    `rules:${base('plb-t-a', '{ fact: users, path: shadow, op: eq, value: read }')}${base('plb-t-b', '{ fact: users, path: shadow, op: eq, value: read }', '    applies: { facts: [users] }')}`,
  );
  it('a failed fact is error, never pass or fail', () => {
    const out = evaluate(rs, facts({}, { users: { code: 'PLUMBLINE_ERR_PERMISSION_DENIED', message: 'no', path: '/etc/shadow' } }), {
      now,
    });
    expect(out.map((r) => r.status)).toEqual(['error', 'error']);
    expect(out[0]?.evidence[0]?.observed).toContain('PLUMBLINE_ERR_PERMISSION_DENIED');
  });
  it('an uncollected fact is error unless applicability says notapplicable', () => {
    expect(evaluate(rs, facts({}), { now }).map((r) => r.status)).toEqual(['error', 'notapplicable']);
  });
});

const sysctl = (runtime: Record<string, string> | null, persisted: Record<string, string>) => ({
  runtime:
    runtime && Object.fromEntries(Object.entries(runtime).map(([k, v]) => [k, { value: v, source: `/proc/sys/${k.replace(/\./g, '/')}` }])),
  persisted: Object.fromEntries(
    Object.entries(persisted).map(([k, v]) => [k, { value: v, file: '/etc/sysctl.d/60.conf', line: 3, overridden: [] }]),
  ),
  files: ['/etc/sysctl.d/60.conf'],
  masked_files: [],
  warnings: [],
});

describe('sysctl needs runtime and persisted values', () => {
  const [rule] = rules(`rules:${base('plb-t-s', '{ sysctl: net.ipv4.ip_forward, op: eq, value: 0 }')}`);
  const table: [Record<string, string> | null, Record<string, string>, string, RegExp][] = [
    [{ 'net.ipv4.ip_forward': '0' }, { 'net.ipv4.ip_forward': '0' }, 'pass', /0/],
    [{ 'net.ipv4.ip_forward': '1' }, { 'net.ipv4.ip_forward': '0' }, 'fail', /runtime value is wrong/],
    [{ 'net.ipv4.ip_forward': '0' }, { 'net.ipv4.ip_forward': '1' }, 'fail', /persisted value is wrong/],
    [{ 'net.ipv4.ip_forward': '0' }, {}, 'fail', /not set in any sysctl/],
    [null, { 'net.ipv4.ip_forward': '0' }, 'pass', /0/],
  ];
  it.each(table)('runtime %j persisted %j -> %s', (rt, p, want, says) => {
    const [r] = evaluate([rule!], facts({ sysctl: sysctl(rt, p) }), { now });
    expect(r?.status).toBe(want);
    expect(JSON.stringify(r?.evidence)).toMatch(says);
  });
});

describe('sshd', () => {
  const sshd = (settings: Record<string, string>, match: Record<string, string> = {}, criteria = 'User deploy') => ({
    source: 'files',
    main_file: '/etc/ssh/sshd_config',
    files: ['/etc/ssh/sshd_config'],
    warnings: [],
    settings: Object.fromEntries(
      Object.entries(settings).map(([k, v], i) => [k, { keyword: k, value: v, args: [v], file: '/etc/ssh/sshd_config', line: i + 1 }]),
    ),
    match_blocks: Object.keys(match).length
      ? [
          {
            criteria,
            file: '/etc/ssh/sshd_config',
            line: 9,
            settings: Object.fromEntries(
              Object.entries(match).map(([k, v]) => [k, { keyword: k, value: v, args: [v], file: '/etc/ssh/sshd_config', line: 10 }]),
            ),
          },
        ]
      : [],
  });
  const rs = rules(
    `rules:${base('plb-t-root', '{ sshd: permitrootlogin, op: eq, value: "no" }')}${base('plb-t-x11', '{ sshd: x11forwarding, op: eq, value: "no" }')}${base('plb-t-tries', '{ sshd: maxauthtries, op: le, value: 4 }')}${base('plb-t-macs', '{ sshd: macs, transform: [csv], op: none-in, value: [hmac-sha1] }')}`,
  );
  it('judges unset keywords at the OpenSSH default', () => {
    const out = evaluate(rs, facts({ sshd_config: sshd({}) }), { now });
    expect(out.map((r) => r.status)).toEqual(['fail', 'pass', 'fail', 'fail']);
    expect(out[0]?.evidence[0]?.observed).toBe('prohibit-password (OpenSSH default)');
  });
  it('names file:line and applies +/- algorithm lists', () => {
    const out = evaluate(rs, facts({ sshd_config: sshd({ permitrootlogin: 'No', macs: '-hmac-sha1*' }) }), { now });
    expect(out[0]?.status).toBe('pass');
    expect(out[0]?.evidence[0]?.source).toBe('/etc/ssh/sshd_config:1');
    expect(out[3]?.status).toBe('pass');
  });
  it('judges in the audited context (user=root): a Match block for other users is evidence, not the verdict', () => {
    const out = evaluate(rs, facts({ sshd_config: sshd({ permitrootlogin: 'no' }, { permitrootlogin: 'yes', x11forwarding: 'yes' }) }), {
      now,
    });
    expect(out.slice(0, 2).map((r) => r.status)).toEqual(['pass', 'pass']);
    expect(out[0]?.evidence[1]).toMatchObject({
      expected: 'Match User deploy: permitrootlogin = no',
      observed: 'yes (for other connections than the audited user=root: reported, not judged)',
      source: '/etc/ssh/sshd_config:10',
    });
  });
  it.each([
    ['User root', 'fail'],
    ['User *,!backup', 'fail'],
    ['User r?ot Group wheel', 'pass'],
    ['User root,!root', 'pass'],
    ['Group root', 'fail'],
    ['Host web1', 'fail'],
    ['Host db*', 'pass'],
    ['Address 10.0.0.0/8', 'fail'],
    ['Invalid-User', 'pass'],
  ])('a Match %s block setting PermitRootLogin yes -> %s', (criteria, status) => {
    const host = { hostname: 'web1', os: { id: 'debian', id_like: [], version_id: '12' } };
    const groups = [
      { name: 'root', gid: 0, members: [] },
      { name: 'wheel', gid: 10, members: ['alice'] },
    ];
    const [r] = evaluate(rs, facts({ host, groups, sshd_config: sshd({ permitrootlogin: 'no' }, { permitrootlogin: 'yes' }, criteria) }), {
      now,
    });
    expect(r?.status).toBe(status);
  });
  it('judges a Group or Host block when the group or host facts are unknown', () => {
    for (const criteria of ['Group wheel', 'Host db*']) {
      const [r] = evaluate(rs, facts({ sshd_config: sshd({ permitrootlogin: 'no' }, { permitrootlogin: 'yes' }, criteria) }), { now });
      expect(r?.status).toBe('fail');
    }
  });
  it('a Match block that applies to root decides over the global value', () => {
    const [r] = evaluate(rs, facts({ sshd_config: sshd({ permitrootlogin: 'yes' }, { permitrootlogin: 'no' }, 'User root') }), { now });
    expect(r?.status).toBe('pass');
    expect(r?.evidence[0]?.expected).toContain('Match User root');
  });
});

describe('score and waivers', () => {
  const rs = rules(
    `rules:${base('plb-t-a', '{ fact: users, path: shadow, op: eq, value: read }')}${base('plb-t-b', '{ fact: users, path: shadow, op: eq, value: nope }')}`,
  );
  const results = evaluate(rs, facts({ users: users([]) }), { now });
  it('weights by severity and excludes n/a and error', () => {
    const s = score(results);
    expect(s.score).toBe(50);
    expect(s.counts).toMatchObject({ pass: 1, fail: 1 });
    expect(s.sections[0]?.id).toBe('9.9');
  });
  it('a live waiver marks the failure but keeps its status; an expired one does not apply', () => {
    const w = { ruleId: 'plb-t-b', justification: 'legacy', approver: 'ops', expiresAt: new Date('2027-01-01') };
    const waived = applyWaivers(results, [w], { hostname: 'h' }, now);
    expect(waived[1]).toMatchObject({ status: 'fail', waived: true });
    expect(score(waived)).toMatchObject({ score: 50, withWaivers: 100 });
    const expired = applyWaivers(results, [{ ...w, expiresAt: now }], { hostname: 'h' }, now);
    expect(expired[1]?.waived).toBeUndefined();
  });
  it("a host's figures are those of its waived results, whatever marks the results already carry", () => {
    const w = { ruleId: 'plb-t-b', justification: 'legacy', approver: 'ops', expiresAt: new Date('2027-01-01') };
    // A result still marked by an earlier pass counts only if a waiver covers it now.
    const stale = results.map((r) => ({ ...r, waived: true }));
    const cases = [
      [],
      [w],
      [{ ...w, expiresAt: now }],
      [{ ...w, scope: { hosts: ['other'] } }],
      [{ ...w, scope: { tags: ['pci'] } }],
      [{ ...w, ruleId: 'plb-t-a' }],
    ];
    for (const waivers of cases)
      for (const rs of [results, stale]) {
        const { sections: _s, ...whole } = score(applyWaivers(rs, waivers, { hostname: 'h', tags: ['pci'] }, now));
        expect(hostFigures(rs, waivers, { hostname: 'h', tags: ['pci'] }, now)).toEqual(whole);
      }
    expect(hostFigures(results, [w], { hostname: 'h' }, now)).toMatchObject({ score: 50, withWaivers: 100, counts: { waived: 1 } });
  });
});
