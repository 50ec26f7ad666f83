import { z } from 'zod';

/** Outbound delivery: webhook subscriptions and scheduled reports (API payloads). */

/**
 * `identity`: a host reported a machine id another host has (see HostSummary.identityConflict).
 * `vulnerability`: a host gained (regression) or lost (fix) a known-vulnerability finding.
 */
export const DriftKind = z.enum(['fact', 'compliance', 'baseline', 'identity', 'vulnerability']);
export const Severity = z.enum(['low', 'medium', 'high', 'critical']);
export const SEVERITY_ORDER = Severity.options;

const Name = z
  .string()
  .trim()
  .min(1, 'name is required')
  .max(100)
  .regex(/^[\w .@:-]+$/, 'name may hold letters, digits, spaces and . _ @ : -');
const HttpUrl = z.string().trim().max(2000).min(1, 'url is required');

export const WebhookCreate = z
  .object({
    name: Name,
    url: HttpUrl,
    format: z.enum(['json', 'slack']).default('json'),
    filter: z
      .object({
        kinds: z.array(DriftKind).max(5).default([]),
        /** Every severity at or above this one; or give `severities`. */
        minSeverity: Severity.optional(),
        severities: z.array(Severity).max(4).optional(),
        groups: z.array(z.string().min(1).max(255)).max(100).default([]),
      })
      .strict()
      .refine((f) => !(f.minSeverity && f.severities), { message: 'give minSeverity or severities, not both' })
      .default({ kinds: [], groups: [] }),
    enabled: z.boolean().default(true),
  })
  .strict();
export type WebhookCreate = z.infer<typeof WebhookCreate>;
/** The request body as a client sends it (defaults not yet applied). */
export type WebhookCreateInput = z.input<typeof WebhookCreate>;

export const WebhookItem = z.object({
  id: z.string(),
  name: z.string(),
  /** The receiver's origin and a masked path: the path of many receivers (Slack's) is itself a secret. */
  url: z.string(),
  format: z.enum(['json', 'slack']),
  filter: z.object({ kinds: z.array(DriftKind), severities: z.array(Severity), groups: z.array(z.string()) }),
  enabled: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type WebhookItem = z.infer<typeof WebhookItem>;

/** The creation answer: the only time the signing secret leaves the server. */
export const WebhookCreated = WebhookItem.extend({ secret: z.string() });
export type WebhookCreated = z.infer<typeof WebhookCreated>;

export const WebhookDeliveryItem = z.object({
  id: z.string(),
  webhookId: z.string(),
  kind: z.enum(['drift', 'test']),
  eventId: z.string().nullable(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
export type WebhookDeliveryItem = z.infer<typeof WebhookDeliveryItem>;

/** Every export format; `pack` is an evidence pack (pdf, json, csv and xccdf with their signatures, waivers, audit slice). */
export const REPORT_FORMATS = ['csv', 'json', 'html', 'pdf', 'oscal', 'xccdf', 'arf', 'pack'] as const;
export const REPORT_FRAMEWORKS = ['cis', 'nist', 'iso27001', 'jcstar'] as const;

export const ReportScheduleCreate = z
  .object({
    name: Name,
    cadence: z.enum(['daily', 'weekly'], { message: 'cadence is daily or weekly' }),
    /** 0 (Sunday) to 6 (Saturday); weekly schedules only. */
    weekday: z.number().int().min(0, 'weekday is 0 (Sunday) to 6').max(6, 'weekday is 0 (Sunday) to 6').optional(),
    /** Hour of the day, UTC. */
    hour: z.number().int().min(0, 'hour is 0 to 23 (UTC)').max(23, 'hour is 0 to 23 (UTC)'),
    report: z
      .object({
        format: z.enum(REPORT_FORMATS, { message: `format is one of ${REPORT_FORMATS.join(', ')}` }),
        scope: z.string().max(200).default('fleet'),
        profile: z.string().min(1).max(100).optional(),
        framework: z.enum(REPORT_FRAMEWORKS, { message: `framework is one of ${REPORT_FRAMEWORKS.join(', ')}` }).optional(),
        waivers: z.boolean().default(true),
      })
      .strict(),
    destination: z.discriminatedUnion('type', [
      z.object({ type: z.literal('directory'), path: z.string().min(1).max(1000) }).strict(),
      z.object({ type: z.literal('webhook'), url: HttpUrl }).strict(),
    ]),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.cadence === 'weekly' && s.weekday === undefined)
      ctx.addIssue({ code: 'custom', path: ['weekday'], message: 'a weekly schedule needs a weekday (0 Sunday to 6)' });
    if (s.cadence === 'daily' && s.weekday !== undefined)
      ctx.addIssue({ code: 'custom', path: ['weekday'], message: 'a daily schedule takes no weekday' });
  });
export type ReportScheduleCreate = z.infer<typeof ReportScheduleCreate>;
/** The request body as a client sends it (defaults not yet applied). */
export type ReportScheduleCreateInput = z.input<typeof ReportScheduleCreate>;

export const ReportScheduleItem = z.object({
  id: z.string(),
  name: z.string(),
  cadence: z.enum(['daily', 'weekly']),
  weekday: z.number().int().nullable(),
  hour: z.number().int(),
  report: z.object({
    format: z.enum(REPORT_FORMATS),
    scope: z.string(),
    profile: z.string().nullable(),
    framework: z.string().nullable(),
    waivers: z.boolean(),
  }),
  /** A directory path, or a URL with its path masked. */
  destination: z.object({ type: z.enum(['directory', 'webhook']), target: z.string() }),
  enabled: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
  nextRunAt: z.string(),
  lastRunAt: z.string().nullable(),
  lastStatus: z.enum(['ok', 'error']).nullable(),
  lastError: z.string().nullable(),
  lastResult: z.string().nullable(),
});
export type ReportScheduleItem = z.infer<typeof ReportScheduleItem>;

/** POST /report-schedules/:id/run: answered once the report is written or sent. */
export const ReportScheduleRun = z.object({
  ok: z.boolean(),
  result: z.string().nullable(),
  error: z.string().nullable(),
  schedule: ReportScheduleItem,
});
export type ReportScheduleRun = z.infer<typeof ReportScheduleRun>;
