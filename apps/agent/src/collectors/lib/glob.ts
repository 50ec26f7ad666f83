/**
 * glob(3) pattern matching for one path component, as OpenSSH's Include and the shells
 * use it: `*`, `?`, `[...]` with `!` or `^` negation. A leading dot is only matched by an
 * explicit dot, so `*.conf` never picks up editor or dpkg leftovers like `.foo.conf.swp`.
 */
export function globComponentToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else if (c === '\\' && i + 1 < pattern.length) {
      out += escapeRegExp(pattern[++i] as string);
    } else out += escapeRegExp(c);
  }
  try {
    return new RegExp(`^${out}$`);
  } catch {
    // A class the RegExp engine refuses (a range out of order, `[z-a]`) matches no name, as in fnmatch(3).
    return /(?!)/;
  }
}

export function hasGlobMagic(component: string): boolean {
  return /[*?[]/.test(component);
}

export function globComponentMatches(pattern: string, name: string): boolean {
  if (name.startsWith('.') && !pattern.startsWith('.')) return false;
  return globComponentToRegExp(pattern).test(name);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
