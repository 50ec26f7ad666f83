import type { PamEntry, PamFact, PasswordPolicyFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { CollectorError } from '../lib/errors';
import { listDir, tryReadText } from '../lib/root-fs';
import { confSettings, derivePolicy, parsePamFile, type Setting } from './parse';

export const PAM_FILES = ['common-auth', 'common-account', 'common-password', 'common-session', 'system-auth', 'password-auth', 'su'].map(
  (f) => `/etc/pam.d/${f}`,
);

async function readPam(ctx: CollectContext): Promise<PamFact> {
  const files: string[] = [];
  const entries: PamEntry[] = [];
  for (const file of PAM_FILES) {
    const text = await tryReadText(ctx.root, file).catch(() => null);
    if (text === null) continue;
    files.push(file);
    entries.push(...parsePamFile(text, file));
  }
  return { files, entries };
}

export async function collectPam(ctx: CollectContext): Promise<PamFact> {
  return readPam(ctx);
}

async function conf(ctx: CollectContext, file: string): Promise<Record<string, Setting>> {
  return confSettings(await tryReadText(ctx.root, file).catch(() => null), file);
}

export async function collectPasswordPolicy(ctx: CollectContext): Promise<PasswordPolicyFact> {
  const { files, entries } = await readPam(ctx);
  // Without the auth and password stacks nothing says what PAM enforces: the policy is unknown,
  // not empty (an empty policy would pass every "no nullok" or "no remember" rule).
  if (!files.some((f) => f !== '/etc/pam.d/su')) {
    throw new CollectorError(
      'PLUMBLINE_ERR_SOURCE_MISSING',
      'no PAM auth/password stack (/etc/pam.d/common-* or system-auth, password-auth) to read',
      '/etc/pam.d',
    );
  }
  // libpwquality reads pwquality.conf.d/*.conf first, in byte order, and pwquality.conf last:
  // a setting in the main file wins over the drop-ins (settings.c, pwquality_read_config).
  let pwquality: Record<string, Setting> = {};
  for (const name of await listDir(ctx.root, '/etc/security/pwquality.conf.d')) {
    if (name.endsWith('.conf')) pwquality = { ...pwquality, ...(await conf(ctx, `/etc/security/pwquality.conf.d/${name}`)) };
  }
  pwquality = { ...pwquality, ...(await conf(ctx, '/etc/security/pwquality.conf')) };
  return derivePolicy(entries, {
    pwquality,
    faillock: await conf(ctx, '/etc/security/faillock.conf'),
    pwhistory: await conf(ctx, '/etc/security/pwhistory.conf'),
  });
}
