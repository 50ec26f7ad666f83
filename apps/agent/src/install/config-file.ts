import { parseDuration } from '@plumbline/protocol/duration';
import { readFile } from 'node:fs/promises';
import { parseDocument, stringify } from 'yaml';
// zod/mini: `plumbline-agent run` reads this file, and the full API would add about 2.5 MB to
// that long-running process (see packages/protocol/src/frame.ts).
import * as z from '@plumbline/protocol/zod-mini';
import { CliError } from '../printer';
import { STATE_DIR } from './paths';

const httpUrl = z.string().check(
  z.refine((s) => {
    try {
      return /^(https?|wss?):$/.test(new URL(s).protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) URL'),
);

const absolutePath = z.string().check(z.regex(/^\/[^\0\n]*$/, 'must be an absolute path'));

/**
 * /etc/plumbline/agent.yaml. `token` is only needed until the agent has enrolled: once a
 * credential exists in the state directory, the installer writes the file without it.
 */
export const AgentConfig = z.strictObject({
  server: httpUrl,
  token: z.optional(z.string().check(z.minLength(1))),
  state_dir: z._default(absolutePath, STATE_DIR),
  interval: z._default(
    z.string().check(z.refine((s) => (parseDuration(s) ?? 0) >= 1000, 'must be a duration of at least 1s, e.g. 30s or 5m')),
    '30s',
  ),
  ca: z.optional(absolutePath),
  /** The server's public key, `sha256/<base64 of the SPKI digest>`: any other key is refused. */
  pin: z.optional(
    z
      .string()
      .check(
        z.regex(
          /^sha256\/[A-Za-z0-9+/]{43}=$/,
          'must be sha256/<base64>, e.g. from `openssl pkey -pubout -outform der | openssl dgst -sha256 -binary | base64`',
        ),
      ),
  ),
});
export type AgentConfig = z.infer<typeof AgentConfig>;

export type ParseResult = { success: true; data: AgentConfig } | { success: false; error: string };

/** Never throws: a bad file yields every problem in one line, with YAML positions where known. */
export function parseAgentConfig(text: string): ParseResult {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) return { success: false, error: doc.errors.map((e) => e.message.split('\n')[0]).join('; ') };
  let value: unknown;
  try {
    // toJS throws on an alias without its anchor (`*a`) and on alias bombs past the count.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { success: false, error: (err as Error).message.split('\n')[0] ?? 'invalid YAML' };
  }
  const parsed = AgentConfig.safeParse(value ?? {});
  if (!parsed.success) {
    return { success: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ') };
  }
  return { success: true, data: parsed.data };
}

export async function readAgentConfig(file: string): Promise<AgentConfig> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new CliError(
      `cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file (run `plumbline-agent install` first)' : err.message}`,
    );
  });
  const parsed = parseAgentConfig(text);
  if (!parsed.success) throw new CliError(`${file}: ${parsed.error}`);
  return parsed.data;
}

/** Stable output (fixed key order, no timestamps), so that re-installing writes identical bytes. */
export function renderAgentConfig(cfg: AgentConfig): string {
  const ordered = { server: cfg.server, token: cfg.token, state_dir: cfg.state_dir, interval: cfg.interval, ca: cfg.ca, pin: cfg.pin };
  const body = stringify(Object.fromEntries(Object.entries(ordered).filter(([, v]) => v !== undefined)));
  return `# Plumbline agent, written by \`plumbline-agent install\`; read by \`plumbline-agent run\`.\n${body}`;
}
