#!/usr/bin/env node
/**
 * How much of the SSG CIS Level 2 Server profile (Ubuntu 22.04 content, the richest Debian-family
 * content SSG ships) our rules reference: the SSG rules the profile selects, minus those that do not
 * apply to a Debian-family host (NOT_DEBIAN_FAMILY, each with its reason), against the SSG ids in our
 * rules' `references.ssg`. Prints the figure and every profile rule no rule of ours references, with
 * why (REMAINING_WHY).
 *
 *   node scripts/ssg-coverage.mjs [--json] [--datastream FILE] [--profile ID]
 *
 * The datastream is parsed with saxes (strict XML, namespaces) rather than patterns.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';
import { parse } from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_DATASTREAM =
  process.env.PLUMBLINE_SSG_DATASTREAM ??
  path.join(process.env.PLUMBLINE_SSG_CONTENT ?? '/usr/share/xml/scap/ssg/content', 'ssg-ubuntu2204-ds.xml');
export const DEFAULT_PROFILE = 'xccdf_org.ssgproject.content_profile_cis_level2_server';
const RULE_PREFIX = 'xccdf_org.ssgproject.content_rule_';
const XCCDF = 'http://checklists.nist.gov/xccdf/1.2';

/** Profile rules that cannot apply to a Debian 12 or Ubuntu 22.04/24.04 host. */
export const NOT_DEBIAN_FAMILY = {
  accounts_passwords_pam_tally2:
    'pam_tally2 left Linux-PAM in 1.5 (Debian 11+, Ubuntu 22.04+); CIS uses pam_faillock, which plb-pam-faillock-* check',
  audit_rules_login_events_tallylog: '/var/log/tallylog is written only by pam_tally2, which these releases do not ship',
};

/** Why each profile rule that no rule of ours references is left out. */
export const REMAINING_WHY = {
  accounts_password_all_shadowed_sha512:
    'wants every hash SHA-512; Debian 12 and Ubuntu 22.04+ hash with yescrypt, which CIS accepts (plb-pam-strong-hashing), and the agent never reads hashes',
  audit_rules_login_events_faillog:
    '/var/log/faillog is not written on these releases (faillog needs pam_tally); CIS 6.3.3.12 audits /var/log/lastlog and /var/run/faillock (plb-audit-logins)',
  audit_rules_time_stime:
    'stime exists only for 32-bit x86; the CIS time-change rules for these releases (plb-audit-time-change) do not name it',
  accounts_root_path_dirs_no_write: "root's PATH is a property of a login session, not of files the agent can read",
  accounts_tmout: 'needs the shell start-up files (/etc/profile, profile.d, bash.bashrc), which no fact collects yet',
  accounts_umask_etc_bashrc: 'needs the shell start-up files, which no fact collects yet (the login.defs UMASK is plb-acct-umask)',
  accounts_umask_etc_csh_cshrc: 'needs /etc/csh.cshrc, which no fact collects yet',
  accounts_umask_etc_profile: 'needs /etc/profile and profile.d, which no fact collects yet',
  accounts_umask_interactive_users: "needs users' own start-up files, which no fact collects yet",
  account_disable_post_pw_expiration:
    'reads INACTIVE in /etc/default/useradd, which no fact collects yet (plb-acct-inactive-lock judges the accounts themselves)',
  aide_build_database: 'needs the AIDE database path, which no fact collects yet (plb-aide-installed checks the package)',
  aide_periodic_cron_checking: 'needs cron and timer contents, which no fact collects yet',
  chronyd_run_as_chrony_user: "chrony's `user` directive is not collected; Debian's chronyd drops to _chrony by default",
  dir_perms_world_writable_sticky_bits: 'needs a walk of every local file system; the agent reads named paths only',
  file_permissions_unauthorized_world_writable: 'needs a walk of every local file system; the agent reads named paths only',
  no_files_unowned_by_user: 'needs a walk of every local file system; the agent reads named paths only',
  disable_users_coredumps:
    'needs /etc/security/limits.conf and limits.d, which no fact collects yet (plb-sysctl-fs-suid-dumpable covers setuid dumps)',
  grub2_password: 'needs the contents of grub.cfg (superusers, password_pbkdf2); the files fact has only its owner and mode',
  package_iptables_installed: 'CIS judges iptables only where it is the chosen firewall (4.3); plb-fw-* judge the firewall that is in use',
  service_iptables_enabled: 'CIS judges iptables only where it is the chosen firewall (4.3); plb-fw-* judge the firewall that is in use',
  sshd_use_approved_ciphers:
    'a FIPS 140-2 allow-list; CIS for these releases forbids a list of weak ciphers instead, which plb-ssh-ciphers checks',
  sshd_use_approved_macs: 'a FIPS 140-2 allow-list; CIS for these releases forbids a list of weak MACs instead, which plb-ssh-macs checks',
};

/** Parses the datastream: the profile's selected rules and every rule's title. */
export function readProfile(xml, profileId = DEFAULT_PROFILE) {
  const parser = new SaxesParser({ xmlns: true });
  const titles = new Map();
  const selected = new Set();
  let profileFound = false;
  let inProfile = false;
  let ruleId = null;
  let titleDepth = 0;
  let title = '';
  let depth = 0;
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (t) => {
    depth++;
    if (t.uri !== XCCDF) return;
    const attr = (n) => t.attributes[n]?.value;
    if (t.local === 'Profile' && attr('id') === profileId) {
      inProfile = true;
      profileFound = true;
    } else if (inProfile && t.local === 'select' && attr('selected') === 'true' && attr('idref')?.startsWith(RULE_PREFIX)) {
      selected.add(attr('idref').slice(RULE_PREFIX.length));
    } else if (t.local === 'Rule' && attr('id')?.startsWith(RULE_PREFIX)) {
      ruleId = attr('id').slice(RULE_PREFIX.length);
    } else if (ruleId && t.local === 'title' && !titles.has(ruleId) && !titleDepth) {
      titleDepth = depth;
      title = '';
    }
  });
  parser.on('text', (s) => {
    if (titleDepth) title += s;
  });
  parser.on('closetag', (t) => {
    if (titleDepth === depth) {
      titles.set(ruleId, title.trim().replace(/\s+/g, ' '));
      titleDepth = 0;
    }
    if (t.uri === XCCDF && t.local === 'Profile') inProfile = false;
    if (t.uri === XCCDF && t.local === 'Rule') ruleId = null;
    depth--;
  });
  parser.write(xml).close();
  if (!profileFound) throw new Error(`no profile ${profileId} in the datastream`);
  return { selected: [...selected].sort(), titles };
}

/** SSG ids referenced by our rules, with the rules that reference each. */
export function readReferences(rulesDir = path.join(here, '..', 'content', 'rules')) {
  const refs = new Map();
  for (const f of readdirSync(rulesDir)
    .filter((n) => n.endsWith('.yaml'))
    .sort()) {
    for (const r of parse(readFileSync(path.join(rulesDir, f), 'utf8')).rules ?? []) {
      for (const id of r.references?.ssg ?? []) refs.set(id, [...(refs.get(id) ?? []), r.id]);
    }
  }
  return refs;
}

export function coverage({ datastream = DEFAULT_DATASTREAM, profile = DEFAULT_PROFILE, rulesDir } = {}) {
  const { selected, titles } = readProfile(readFileSync(datastream, 'utf8'), profile);
  const refs = readReferences(rulesDir);
  const notApplicable = selected.filter((id) => id in NOT_DEBIAN_FAMILY);
  const applicable = selected.filter((id) => !(id in NOT_DEBIAN_FAMILY));
  const covered = applicable.filter((id) => refs.has(id));
  const remaining = applicable
    .filter((id) => !refs.has(id))
    .map((id) => ({ id, title: titles.get(id) ?? null, why: REMAINING_WHY[id] ?? null }));
  return {
    datastream,
    profile,
    selected: selected.length,
    applicable: applicable.length,
    covered: covered.length,
    percent: applicable.length ? Math.round((1000 * covered.length) / applicable.length) / 10 : 0,
    notApplicable: notApplicable.map((id) => ({ id, why: NOT_DEBIAN_FAMILY[id] })),
    remaining,
  };
}

function main(argv) {
  const arg = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const datastream = arg('--datastream') ?? DEFAULT_DATASTREAM;
  if (!existsSync(datastream)) {
    process.stderr.write(`ssg-coverage: ${datastream} is missing (apt-get install ssg-debderived)\n`);
    return 2;
  }
  const c = coverage({ datastream, profile: arg('--profile') ?? DEFAULT_PROFILE });
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `${c.profile} (${path.basename(c.datastream)}): ${c.selected} SSG rules selected, ${c.applicable} apply to a Debian-family host`,
    `referenced by a Plumbline rule: ${c.covered} of ${c.applicable} = ${c.percent}%`,
    '',
    `not applicable to Debian 12 / Ubuntu 22.04+ (${c.notApplicable.length}):`,
    ...c.notApplicable.map((r) => `  ${r.id}: ${r.why}`),
    '',
    `remaining (${c.remaining.length}):`,
    ...c.remaining.map((r) => `  ${r.id}${r.title ? ` (${r.title})` : ''}: ${r.why ?? 'no reason recorded'}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
