/** `openssl version`: `OpenSSL 3.0.13 30 Jan 2024 (Library: OpenSSL 3.0.15 3 Sep 2024)`; the library's version wins. */
export function parseOpensslVersion(text: string): string | null {
  const lib = /\(Library:\s*\S+\s+(\S+)/.exec(text);
  if (lib) return lib[1] as string;
  return /^\S+\s+(\S+)/.exec(text.trim())?.[1] ?? null;
}

/** `1:3.0.2-0ubuntu1.18` -> `3.0.2`; `3.0.7-27.el9` -> `3.0.7`. */
export function upstreamVersion(pkgVersion: string): string {
  return pkgVersion
    .replace(/^\d+:/, '')
    .replace(/-[^-]*$/, '')
    .replace(/\+.*$/, '');
}
