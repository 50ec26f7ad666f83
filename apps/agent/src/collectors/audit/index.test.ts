import { describe, expect, it } from 'vitest';
import { collect as collectAudit } from './index';
import { lastControl, parseAuditRules } from './parse';
import { naturalCompare } from '../lib/order';
import { fixtureRoot, rootContext } from '../../../test/support/host-trees';

describe('audit', () => {
  it('orders rules.d like ls -v and reads control lines', () => {
    expect(['audit.rules', '100-local.rules', '99-finalize.rules', '10-base.rules'].sort(naturalCompare)).toEqual([
      '10-base.rules',
      '99-finalize.rules',
      '100-local.rules',
      'audit.rules',
    ]);
    const rules = parseAuditRules('-D\n# c\n-b 8192\n-e 1\n-w /etc/passwd  -p wa -k identity\n-e 2\n', 'f');
    expect(rules.map((r) => r.rule)).toEqual(['-D', '-b 8192', '-e 1', '-w /etc/passwd -p wa -k identity', '-e 2']);
    expect(lastControl(rules, 'e')).toBe('2');
  });

  it('reads auditd.conf, rules.d and the kernel arguments (Debian hardened)', async () => {
    const a = await collectAudit(rootContext(fixtureRoot('debian12-hardened')));
    expect(a).toMatchObject({
      installed: true,
      service_enabled: true,
      max_log_file: 32,
      max_log_file_action: 'keep_logs',
      space_left_action: 'email',
      admin_space_left_action: 'single',
      rules_source: 'rules.d',
      immutable: true,
      backlog_limit: 8192,
      kernel_audit: '1',
      kernel_backlog_limit: '8192',
    });
    expect(a.rule_files.at(-2)).toBe('/etc/audit/rules.d/100-local.rules');
    expect(a.rules).toContainEqual({ rule: '-w /etc/sudoers -p wa -k scope', file: '/etc/audit/rules.d/50-scope.rules', line: 1 });
  });

  it('falls back to audit.rules and says not installed without auditd (RHEL, Ubuntu)', async () => {
    expect(await collectAudit(rootContext(fixtureRoot('rhel9')))).toMatchObject({
      rules_source: 'audit.rules',
      immutable: false,
      max_log_file_action: 'ROTATE',
    });
    expect(await collectAudit(rootContext(fixtureRoot('ubuntu-2204')))).toMatchObject({ installed: false, config_file: null, rules: [] });
  });
});
