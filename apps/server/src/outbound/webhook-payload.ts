import { createHmac, randomBytes } from 'node:crypto';

/**
 * What a webhook receiver gets, and how it can tell the request came from this server.
 *
 * Signed material: the decimal Unix time in seconds from `X-Plumbline-Timestamp`, a full stop,
 * then the raw request body, byte for byte:
 *
 *   X-Plumbline-Signature: sha256=<lowercase hex of HMAC-SHA256(secret, timestamp + "." + body)>
 *
 * Binding the timestamp lets a receiver refuse replays (reject timestamps more than a few
 * minutes old). Each attempt is signed afresh; the body of a retry is the same as the first.
 */
export const SIGNATURE_HEADER = 'x-plumbline-signature';
export const TIMESTAMP_HEADER = 'x-plumbline-timestamp';

export const newWebhookSecret = () => `plw_${randomBytes(32).toString('base64url')}`;

export function signWebhook(secret: string, timestamp: number, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** A host gaining or losing a known-vulnerability finding (drift of kind `vulnerability`, path `<CVE> <source package>`). */
export interface VulnerabilityChange {
  cve: string;
  /** Source package the finding is in. */
  source: string;
  change: 'gained' | 'lost';
}

export function vulnerabilityChange(kind: string, path: string | null, direction: string): VulnerabilityChange | null {
  const m = kind === 'vulnerability' && path ? /^(\S+) (\S+)$/.exec(path) : null;
  if (!m) return null;
  return { cve: m[1] as string, source: m[2] as string, change: direction === 'improvement' ? 'lost' : 'gained' };
}

export interface DriftPayloadEvent {
  id: string;
  hostId: string;
  hostname: string;
  group: string | null;
  kind: string;
  severity: string;
  ruleId: string | null;
  ruleTitle: string | null;
  path: string | null;
  direction: string;
  before: unknown;
  after: unknown;
  observedAt: string;
  receivedAt: string;
  /** Kind `vulnerability` only: which finding the host gained or lost. */
  vulnerability?: VulnerabilityChange;
}

export interface DeliveryPayload {
  type: 'drift' | 'test';
  deliveryId: string;
  webhook: string;
  event: DriftPayloadEvent;
}

/** A made-up event, so a receiver can be checked before real drift happens. */
export function testEvent(now: Date): DriftPayloadEvent {
  const at = now.toISOString();
  return {
    id: 'test',
    hostId: '00000000-0000-0000-0000-000000000000',
    hostname: 'plumbline-test',
    group: null,
    kind: 'compliance',
    severity: 'high',
    ruleId: 'plb-test',
    ruleTitle: 'Test event from Plumbline',
    path: null,
    direction: 'regression',
    before: 'pass',
    after: 'fail',
    observedAt: at,
    receivedAt: at,
  };
}

const short = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v ?? null);
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
};
// Slack's mrkdwn treats these three as markup.
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function headline(e: DriftPayloadEvent): string {
  const v = e.vulnerability;
  const what =
    e.kind === 'compliance'
      ? `${e.ruleId}${e.ruleTitle ? ` (${e.ruleTitle})` : ''} ${e.direction === 'improvement' ? 'fixed' : e.direction === 'regression' ? 'regressed' : 'changed'}`
      : v
        ? `${v.change === 'gained' ? 'vulnerable to' : 'no longer vulnerable to'} ${v.cve} in ${v.source}`
        : `${e.kind} drift on ${e.path ?? e.ruleId ?? 'the host'}`;
  return `[${e.severity}] ${e.hostname}: ${what}`;
}

/** Slack incoming-webhook shape: `text` for notifications, `blocks` for the message itself. */
export function slackBody(p: DeliveryPayload): { text: string; blocks: unknown[] } {
  const e = p.event;
  const text = `${p.type === 'test' ? '(test) ' : ''}${headline(e)}`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${esc(text)}*\n\`${esc(short(e.before))}\` → \`${esc(short(e.after))}\`` } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: esc(`group ${e.group ?? '-'} · observed ${e.observedAt} · Plumbline webhook ${p.webhook}`) }],
      },
    ],
  };
}

export function renderBody(format: string, p: DeliveryPayload): Buffer {
  return Buffer.from(JSON.stringify(format === 'slack' ? slackBody(p) : p), 'utf8');
}
