/**
 * Which sshd Match blocks apply in the context CIS audits in: `sshd -T -C user=root
 * -C host=<hostname> -C addr=<address>`. A block for other users (`Match User backup`) does not
 * decide a global rule; it is reported beside it.
 */

/** Who the audited connection is; null where the engine cannot know it offline. */
export interface AuditContext {
  user: string;
  groups: readonly string[] | null;
  host: string | null;
}

/** sshd's pattern lists (ssh_config(5) PATTERNS): `*` and `?` wildcards, `!` negates; a negated match wins. */
export function matchPatternList(value: string, patterns: string): boolean {
  let hit = false;
  for (const raw of patterns.split(',')) {
    const negated = raw.startsWith('!');
    const p = negated ? raw.slice(1) : raw;
    if (!p) continue;
    const re = new RegExp(
      `^${p
        .replace(/[.+()[\]{}|\\$^]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      'i',
    );
    if (re.test(value)) {
      if (negated) return false;
      hit = true;
    }
  }
  return hit;
}

/**
 * true: the block applies to the audited connection; false: it cannot; null: it depends on what
 * the engine does not know (the client address, the local port, the routing domain). All criteria
 * of a block must match.
 */
export function matchApplies(criteria: string, ctx: AuditContext): boolean | null {
  const words = criteria.trim().split(/\s+/);
  let result: boolean | null = true;
  for (let i = 0; i < words.length; i++) {
    const key = (words[i] as string).toLowerCase();
    if (key === 'all') continue;
    // `Match Invalid-User` and other one-word criteria: the audited root account is valid.
    if (key === 'invalid-user') return false;
    const arg = words[i + 1];
    i++;
    if (arg === undefined) return null;
    let one: boolean | null;
    if (key === 'user') one = matchPatternList(ctx.user, arg);
    else if (key === 'group') one = ctx.groups === null ? null : ctx.groups.some((g) => matchPatternList(g, arg));
    else if (key === 'host') one = ctx.host === null ? null : matchPatternList(ctx.host, arg);
    else one = null;
    if (one === false) return false;
    if (one === null) result = null;
  }
  return result;
}
