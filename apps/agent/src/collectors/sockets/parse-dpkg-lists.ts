/**
 * With merged /usr, a binary runs as /usr/sbin/x while its package may list /sbin/x (or the
 * reverse), so both spellings are looked up.
 */
export function pathAliases(p: string): string[] {
  if (p.startsWith('/usr/')) return [p, p.slice(4)];
  return [p, `/usr${p}`];
}

/** `openssh-server.list` or multi-arch `libc6:amd64.list` to the package name. */
export function packageFromListFile(name: string): string | null {
  const m = /^([^:]+)(?::[^.]+)?\.list$/.exec(name);
  return m ? (m[1] as string) : null;
}

/** Whether a dpkg .list text has `p` as one of its lines. */
export function listHasPath(text: string, p: string): boolean {
  return text.startsWith(`${p}\n`) || text.includes(`\n${p}\n`) || text.endsWith(`\n${p}`);
}

/** Words too common in paths and package names to tie one to the other. */
const COMMON_WORDS = new Set([
  'bin',
  'sbin',
  'lib',
  'libexec',
  'usr',
  'share',
  'server',
  'client',
  'common',
  'core',
  'base',
  'data',
  'tools',
  'utils',
  'daemon',
]);

/** The lowercase words of a path or package name, three letters or longer, digits and punctuation dropped. */
export function nameWords(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 3 && !COMMON_WORDS.has(w));
}

/**
 * Package lists in search order: those whose package name shares a word with a wanted path
 * (one word the start of the other: mariadb and mariadbd, postgres and postgresql), then
 * the others, each group in byte order.
 */
export function likelyFirst(lists: string[], paths: string[]): { list: string; pkg: string }[] {
  const pathWords = [...new Set(paths.flatMap(nameWords))];
  const likely: { list: string; pkg: string }[] = [];
  const rest: { list: string; pkg: string }[] = [];
  for (const list of lists) {
    const pkg = packageFromListFile(list);
    if (!pkg) continue;
    const related = nameWords(pkg).some((w) => pathWords.some((v) => v.startsWith(w) || w.startsWith(v)));
    (related ? likely : rest).push({ list, pkg });
  }
  return [...likely, ...rest];
}
