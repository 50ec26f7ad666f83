import { readSafely } from '../state/safe-fs';
import { CliError } from '../printer';

/** What can go into an Authorization header as is: printable ASCII, no spaces. */
const HEADER_SAFE = /^[\x21-\x7e]{1,512}$/;

export interface TokenFlags {
  token?: string | undefined;
  tokenFile?: string | undefined;
  tokenStdin?: boolean | undefined;
}

export const ARGV_TOKEN_WARNING =
  '--token puts the enrollment token on the command line, where any user sees it (ps); use --token-file FILE (mode 0600) or --token-stdin';

function check(token: string, from: string): string {
  if (!token) throw new CliError(`${from}: the enrollment token is empty`);
  if (!HEADER_SAFE.test(token)) throw new CliError(`${from}: the enrollment token holds spaces, control or non-ASCII characters`);
  return token;
}

async function readStdin(limit = 4096): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += (chunk as Buffer).toString();
    if (text.length > limit) break;
  }
  return text;
}

/**
 * The enrollment token from exactly one of --token-file (a 0600 regular file, not a link),
 * --token-stdin (first line) or --token (kept for scripts; the caller warns). Undefined when
 * none is given.
 */
export async function readToken(f: TokenFlags, stdin: () => Promise<string> = readStdin): Promise<string | undefined> {
  const given = [f.token !== undefined, f.tokenFile !== undefined, f.tokenStdin === true].filter(Boolean).length;
  if (given > 1) throw new CliError('give the enrollment token one way: --token-file, --token-stdin or --token');
  if (f.tokenFile !== undefined) {
    const res = await readSafely(f.tokenFile, 64 * 1024);
    if (!res.ok) throw new CliError(`--token-file: ${f.tokenFile}: ${res.missing ? 'no such file' : res.why}`);
    if (res.mode & 0o077) throw new CliError(`--token-file: ${f.tokenFile} may be read by others; chmod 600 it first`);
    return check(res.text.split('\n')[0]!.trim(), '--token-file');
  }
  if (f.tokenStdin) return check((await stdin()).split('\n')[0]!.trim(), '--token-stdin');
  return f.token === undefined ? undefined : check(f.token.trim(), '--token');
}
