import { createHash } from 'node:crypto';
import type { ReportContext } from './context';
import type { ReportHost, ReportResult } from './source';

/**
 * OSCAL 1.1 Assessment Results (JSON): one result for the report's point in time; each host
 * an inventory item; each verdict of a rule on a host an observation (with its evidence) and a
 * finding whose target is the rule (an objective) with satisfied / not-satisfied. Observations
 * and findings are two arrays, so results are read twice; their UUIDs derive from the report
 * id, host and rule, so a finding names its observation without anything kept in memory.
 */
export const OSCAL_VERSION = '1.1.2';

/** A name-based (version 5 style) UUID: stable for the same inputs. */
export function nameUuid(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const ns = 'https://plumbline.dev/ns/oscal';

function observation(ctx: ReportContext, host: ReportHost, r: ReportResult) {
  return {
    uuid: nameUuid(ctx.id, 'obs', host.id, r.ruleId),
    title: `${r.ruleId} on ${host.hostname}`,
    description: `${r.title}: ${r.status}${r.waived ? ' (waived)' : ''}`,
    props: [
      { name: 'result', ns, value: r.status },
      { name: 'severity', ns, value: r.severity },
      ...(r.waived ? [{ name: 'waived', ns, value: 'true' }] : []),
    ],
    methods: ['TEST'],
    types: ['finding'],
    subjects: [{ 'subject-uuid': nameUuid(ctx.id, 'host', host.id), type: 'inventory-item', title: host.hostname }],
    'relevant-evidence': (r.evidence.length ? r.evidence : [{ expected: '', observed: '(no evidence)' }]).map((e) => ({
      description: `expected: ${e.expected}; observed: ${e.observed}${e.source ? `; source: ${e.source}` : ''}`,
      ...(e.source ? { props: [{ name: 'source', ns, value: e.source.slice(0, 1000) }] } : {}),
    })),
    collected: r.changedAt.toISOString(),
  };
}

function finding(ctx: ReportContext, host: ReportHost, r: ReportResult) {
  const refs = Object.entries(r.references).flatMap(([fw, ids]) =>
    (ids as string[]).map((id) => ({ name: `${fw}-reference`, ns, value: id })),
  );
  return {
    uuid: nameUuid(ctx.id, 'finding', host.id, r.ruleId),
    title: `${r.title} (${host.hostname})`,
    description: `Rule ${r.ruleId} on host ${host.hostname}: ${r.status}${r.waived && r.waiver ? `, risk accepted: ${r.waiver.justification} (approved by ${r.waiver.approver}, until ${r.waiver.expiresAt.toISOString()})` : ''}.`,
    props: refs,
    target: {
      type: 'objective-id',
      'target-id': r.ruleId,
      // An agent error is no evidence of compliance: not satisfied, for another reason than a failure.
      status:
        r.status === 'pass'
          ? { state: 'satisfied', reason: 'pass' }
          : r.status === 'fail'
            ? { state: 'not-satisfied', reason: 'fail' }
            : { state: 'not-satisfied', reason: 'other' },
      props: [{ name: 'result', ns, value: r.status }],
    },
    'related-observations': [{ 'observation-uuid': nameUuid(ctx.id, 'obs', host.id, r.ruleId) }],
  };
}

export async function* oscalReport(ctx: ReportContext): AsyncGenerator<string> {
  const { hosts } = await ctx.summarize();
  const d = ctx.describe();
  const inventory = hosts.map((h) => ({
    uuid: nameUuid(ctx.id, 'host', h.id),
    description: `${h.hostname}${h.os ? ` (${h.os})` : ''}`,
    props: [
      { name: 'fqdn', value: h.hostname },
      { name: 'asset-id', value: h.id },
      ...(h.group ? [{ name: 'group', ns, value: h.group }] : []),
    ],
  }));
  const result = {
    uuid: nameUuid(ctx.id, 'result'),
    title: `Plumbline assessment of ${d.scope}`,
    description: `Verdicts of ${d.profileTitle ?? d.profile ?? "each host's own profile"} as of ${d.asOf}${d.waivers ? ', waivers noted' : ''}.`,
    start: d.asOf,
    end: d.asOf,
    props: [
      { name: 'scope', ns, value: d.scope },
      ...(d.profile ? [{ name: 'profile', ns, value: d.profile }] : []),
      ...(d.framework ? [{ name: 'framework', ns, value: d.framework }] : []),
    ],
    'reviewed-controls': {
      'control-selections': [
        { description: d.profile ? `rules of profile ${d.profile}` : 'the rules of each host profile', 'include-all': {} },
      ],
    },
    'local-definitions': inventory.length ? { 'inventory-items': inventory } : undefined,
  };
  const head = {
    'assessment-results': {
      uuid: ctx.id,
      metadata: {
        title: `Plumbline compliance report: ${d.scope} as of ${d.asOf}`,
        'last-modified': d.generatedAt,
        version: '1',
        'oscal-version': OSCAL_VERSION,
        props: [
          { name: 'signing-key-id', ns, value: d.keyId },
          { name: 'signing-key-fingerprint', ns, value: d.keyFingerprint },
        ],
      },
      'import-ap': { href: '#plumbline-assessment-plan' },
    },
  };
  // Opens assessment-results and results[0], leaving them open for the two streamed arrays.
  yield `${JSON.stringify(head).slice(0, -2)},"results":[${JSON.stringify(result).slice(0, -1)},"observations":[`;
  let first = true;
  for await (const { host, results } of ctx.source.hosts(true)) {
    yield `${first ? '' : ','}\n${results.map((r) => JSON.stringify(observation(ctx, host, r))).join(',\n')}`;
    first = false;
  }
  yield '],"findings":[';
  first = true;
  // Not applicable rules are observed but are no finding.
  for await (const { host, results } of ctx.source.hosts(false)) {
    const parts = results.filter((r) => r.status !== 'notapplicable').map((r) => JSON.stringify(finding(ctx, host, r)));
    if (!parts.length) continue;
    yield `${first ? '' : ','}\n${parts.join(',\n')}`;
    first = false;
  }
  yield ']}]}}\n';
}
