import path from 'node:path';
import type { AuditFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { isInstalled } from '../lib/host-packages';
import { cmdlineParam, readKernelCmdline } from '../lib/kernel-cmdline';
import { parseKeyValueConf } from '../lib/kv-files';
import { listDir, tryReadText } from '../lib/root-fs';
import { sortRecord, naturalCompare } from '../lib/order';
import { isEnabled, unitFileState } from '../lib/systemd-units';
import { lastControl, parseAuditRules } from './parse';

const AUDITD_CONF = '/etc/audit/auditd.conf';
const RULES_D = '/etc/audit/rules.d';
const AUDIT_RULES = '/etc/audit/audit.rules';

function num(v: string | undefined): number | null {
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
}

export async function collect(ctx: CollectContext): Promise<AuditFact> {
  const confText = await tryReadText(ctx.root, AUDITD_CONF).catch(() => null);
  const settings = sortRecord(
    Object.fromEntries(
      Object.values(parseKeyValueConf(confText ?? '')).map((kv) => [kv.key, { value: kv.value, file: AUDITD_CONF, line: kv.line }]),
    ),
  );
  const names = (await listDir(ctx.root, RULES_D)).filter((n) => n.endsWith('.rules')).sort(naturalCompare);
  let rule_files = names.map((n) => path.posix.join(RULES_D, n));
  let rules_source: AuditFact['rules_source'] = rule_files.length > 0 ? 'rules.d' : null;
  if (!rules_source && (await tryReadText(ctx.root, AUDIT_RULES).catch(() => null)) !== null) {
    rules_source = 'audit.rules';
    rule_files = [AUDIT_RULES];
  }
  const rules: AuditFact['rules'] = [];
  for (const file of rule_files) rules.push(...parseAuditRules((await tryReadText(ctx.root, file).catch(() => null)) ?? '', file));
  const args = (await readKernelCmdline(ctx)).args;
  const backlog = lastControl(rules, 'b');
  return {
    installed: await isInstalled(ctx, { packages: ['auditd'], paths: ['/usr/sbin/auditd', '/sbin/auditd'] }),
    service_enabled: isEnabled(await unitFileState(ctx.root, 'auditd.service')),
    config_file: confText === null ? null : AUDITD_CONF,
    settings,
    max_log_file: num(settings.max_log_file?.value),
    max_log_file_action: settings.max_log_file_action?.value ?? null,
    space_left_action: settings.space_left_action?.value ?? null,
    admin_space_left_action: settings.admin_space_left_action?.value ?? null,
    rules_source,
    rule_files,
    rules,
    immutable: lastControl(rules, 'e') === '2',
    backlog_limit: backlog !== null && /^\d+$/.test(backlog) ? Number(backlog) : null,
    kernel_audit: cmdlineParam(args, 'audit'),
    kernel_backlog_limit: cmdlineParam(args, 'audit_backlog_limit'),
  };
}
