import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { compiledOf, readContent, render, renderCompiled } from '../scripts/bundle-content.mjs';
import { bundledContent } from './content';
import { ContentError, loadContent, parseRuleFiles, profileRules } from './load';
import { applyTailoring } from './tailoring';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const known = new Set(
  readFileSync(`${pkg}content/ssg-known-ids.txt`, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#')),
);

describe('shipped content', () => {
  const c = bundledContent();
  it('is current with the YAML files (run `node scripts/bundle-content.mjs`)', async () => {
    const files = await readContent(pkg);
    expect(readFileSync(`${pkg}src/content-bundle.generated.ts`, 'utf8')).toBe(render(files));
    expect(readFileSync(`${pkg}src/content-compiled.generated.ts`, 'utf8')).toBe(
      renderCompiled(compiledOf(loadContent(files.rules, files.profiles))),
    );
  });
  it('ships exactly what loading the YAML gives', async () => {
    const files = await readContent(pkg);
    expect(c).toEqual(loadContent(files.rules, files.profiles));
  });
  it('has at least 150 rules with unique, well-formed ids and >= 60 SSG-mapped rules', () => {
    expect(c.rules.length).toBeGreaterThanOrEqual(150);
    expect(new Set(c.rules.map((r) => r.id)).size).toBe(c.rules.length);
    expect(c.rules.filter((r) => r.references.ssg.length).length).toBeGreaterThanOrEqual(60);
  });
  it('references only known ComplianceAsCode ids and CIS sections matching the rule section', () => {
    for (const r of c.rules) {
      for (const s of r.references.ssg) expect(known.has(s), `${r.id}: ${s}`).toBe(true);
      for (const cis of r.references.cis) expect(/^\d+(\.\d+)+$/.test(cis), `${r.id}: ${cis}`).toBe(true);
      expect(r.references.nist.length + r.references.iso27001.length, r.id).toBeGreaterThan(0);
    }
  });
  it('has the three profiles, each selecting rules', () => {
    for (const id of ['cis-l1-server', 'cis-l2-server', 'edge-device'])
      expect(profileRules(c, c.profiles.get(id)!).length).toBeGreaterThan(20);
  });
  it('every shell remediation is valid bash', () => {
    const script = c.rules.map((r) => `(\n${r.remediation.shell}\n:\n)`).join('\n');
    expect(() => execFileSync('bash', ['-n'], { input: script })).not.toThrow();
  });
});

describe('load errors name the file and line', () => {
  const rule = (check: string, id = 'plb-x-y') => `rules:
  - id: ${id}
    title: t
    description: d
    rationale: r
    severity: low
    levels: [l1]
    section: { id: '1.1', name: x }
    remediation: { shell: 'true', ansible: { name: t } }
    references: { cis: [], ssg: [] }
    check: ${check}
`;
  const problems = (text: string) => parseRuleFiles([{ path: 'r.yaml', text }]).problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
  it.each([
    ['{ fact: nosuch, path: x, op: eq, value: 1 }', /r\.yaml:11: .*nosuch/],
    ['{ fact: users, path: accounts_typo, op: eq, value: 1 }', /r\.yaml:11: .*no field 'accounts_typo'/],
    ['{ fact: users, list: accounts, all: { path: shel, op: eq, value: x } }', /r\.yaml:11: .*no field 'shel'/],
    ['{ fact: users, path: shadow, op: equals, value: x }', /r\.yaml:11: .*unknown operator 'equals'/],
    ['{ sshd: permitrootlogn, op: eq, value: x }', /unknown sshd keyword 'permitrootlogn'/],
    ['{ fact: users, path: shadow, op: eq, param: nope }', /unknown parameter 'nope'/],
  ])('%s', (check, want) => {
    expect(problems(rule(check)).join('\n')).toMatch(want);
  });
  it('refuses a duplicate id with both places', () => {
    const text =
      rule('{ fact: users, path: shadow, op: eq, value: read }') +
      rule('{ fact: users, path: shadow, op: eq, value: read }').replace('rules:\n', '');
    expect(problems(text).join('\n')).toMatch(/r\.yaml:12: duplicate rule id 'plb-x-y' \(first at r\.yaml:2\)/);
  });
  it.each([
    ['{ differs: true }', /r\.yaml:12: differs: true and why go together/],
    ["{ why: 'OpenSCAP reads only one file' }", /r\.yaml:12: differs: true and why go together/],
    ['{ differs: yes, why: x }', /r\.yaml:12:/],
    ['{ alternatives: [[a_removed, b_disabled]] }', /r\.yaml:12: plb-x-y: alternative 'b_disabled' is not in references\.ssg/],
    ['{ alternatives: [[a_removed, a_disabled], [a_removed, a_other]] }', /plb-x-y: 'a_removed' is in two alternative groups/],
    ['{ frobnicate: true }', /r\.yaml:12: unknown field 'frobnicate'/],
  ])('validates oscap: %s', (oscap, want) => {
    const text = rule('{ fact: users, path: shadow, op: eq, value: read }')
      .replace('ssg: [] }', 'ssg: [a_removed, a_disabled, a_other] }')
      .concat(`    oscap: ${oscap}\n`);
    expect(problems(text).join('\n')).toMatch(want);
  });
  it('accepts a documented disagreement and alternatives', () => {
    const text = rule('{ fact: users, path: shadow, op: eq, value: read }')
      .replace('ssg: [] }', 'ssg: [a_removed, a_disabled] }')
      .concat("    oscap: { alternatives: [[a_removed, a_disabled]], differs: true, why: 'SSG reads only /etc/ssh/sshd_config' }\n");
    expect(problems(text)).toEqual([]);
  });
  it('throws ContentError from loadContent', () => {
    expect(() => loadContent([{ path: 'r.yaml', text: 'rules: [1' }], [])).toThrow(ContentError);
  });
});

describe('tailoring', () => {
  const c = bundledContent();
  it('disables rules and sets parameters', () => {
    const sel = applyTailoring(
      c,
      't.yaml',
      'extends: edge-device\nrules:\n  plb-ssh-permit-root-login: { enabled: false }\n  plb-svc-approved-listeners: { params: { allowed: [{ port: 1883, protocol: tcp }] } }\n',
    );
    expect(sel.rules.some((r) => r.id === 'plb-ssh-permit-root-login')).toBe(false);
    expect(sel.params['plb-svc-approved-listeners']).toEqual({ allowed: [{ port: 1883, protocol: 'tcp' }] });
  });
  it.each([
    ['extends: nope\n', /t\.yaml:1: unknown profile 'nope'/],
    ['extends: cis-l1-server\nrules:\n  plb-nope: { enabled: false }\n', /t\.yaml:3: unknown rule 'plb-nope'/],
    [
      'extends: cis-l1-server\nrules:\n  plb-ssh-max-auth-tries: { params: { max_triez: 3 } }\n',
      /t\.yaml:3: unknown parameter 'max_triez'/,
    ],
    ['extends: cis-l1-server\nrules:\n  plb-ssh-max-auth-tries: { params: { max_tries: "3" } }\n', /expected a number/],
  ])('refuses %j', (text, want) => {
    expect(() => applyTailoring(c, 't.yaml', text)).toThrow(want);
  });
});
