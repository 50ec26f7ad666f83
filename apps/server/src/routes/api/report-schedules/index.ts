import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { ListQuery, page } from '@plumbline/protocol/api';
import { ReportScheduleCreate, ReportScheduleItem } from '@plumbline/protocol/outbound';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, conflictOnUnique, ErrorCode } from '../../../errors';
import { actorOf } from '../../../plugins/app/auth';
import { checkUrl, maskUrl } from '../../../outbound/http-post';
import { scheduleOptions } from '../../../outbound/report-scheduler';
import { nextRunAfter } from '../../../outbound/schedule';
import {
  deleteReportSchedule,
  findReportSchedule,
  insertReportSchedule,
  reportSchedulePage,
  type ReportSchedule,
} from '../../../reports/repository';

function toItem(s: ReportSchedule): ReportScheduleItem {
  return {
    id: s.id,
    name: s.name,
    cadence: s.cadence as 'daily',
    weekday: s.weekday,
    hour: s.hour,
    report: { format: s.format as 'csv', scope: s.scope, profile: s.profile, framework: s.framework, waivers: s.waivers },
    destination: {
      type: s.destinationType as 'directory',
      target: s.destinationType === 'directory' ? s.destination : maskUrl(s.destination),
    },
    enabled: s.enabled,
    createdBy: s.createdBy,
    createdAt: s.createdAt.toISOString(),
    nextRunAt: s.nextRunAt.toISOString(),
    lastRunAt: s.lastRunAt?.toISOString() ?? null,
    lastStatus: s.lastStatus as 'ok' | null,
    lastError: s.lastError,
    lastResult: s.lastResult,
  };
}

/** The directory must exist on this server and be writable; other replicas need it too (shared storage). */
async function checkDirectory(dir: string): Promise<string> {
  if (!path.isAbsolute(dir)) throw new AppError(ErrorCode.badDestination, 'destination.path: must be an absolute path');
  const resolved = path.resolve(dir);
  const info = await stat(resolved).catch(() => null);
  if (!info?.isDirectory()) throw new AppError(ErrorCode.badDestination, `destination.path: ${resolved} is not a directory on the server`);
  await access(resolved, constants.W_OK).catch(() => {
    throw new AppError(ErrorCode.badDestination, `destination.path: the server cannot write to ${resolved}`);
  });
  return resolved;
}

const Params = z.object({ id: z.uuid() });
const RunResult = z.object({ ok: z.boolean(), result: z.string().nullable(), error: z.string().nullable(), schedule: ReportScheduleItem });

/**
 * Scheduled reports: daily or weekly at an hour (UTC), written with their signature into a
 * directory on the server or POSTed to a URL. Admins manage and run them; every role reads them.
 */
const reportScheduleRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const admin = app.requireRole('admin');

  async function find(id: string): Promise<ReportSchedule> {
    const s = await findReportSchedule(prisma, { id });
    if (!s) throw new AppError(ErrorCode.notFound, `no report schedule ${id}`);
    return s;
  }

  app.post('', { preHandler: admin, schema: { body: ReportScheduleCreate, response: { 201: ReportScheduleItem } } }, async (req, reply) => {
    const b = req.body;
    const r = {
      format: b.report.format,
      scope: b.report.scope,
      profile: b.report.profile ?? null,
      framework: b.report.framework ?? null,
      waivers: b.report.waivers,
    };
    // Validated as an export would be (scope, unknown profile) now, not at 3 am.
    app.reportScheduler.validate(scheduleOptions(r));
    const d = b.destination;
    const destination = d.type === 'directory' ? await checkDirectory(d.path) : checkUrl(d.url, app.config.webhook.allowPrivate).toString();
    const taken = `name: a report schedule named ${b.name} exists`;
    if (await findReportSchedule(prisma, { name: b.name })) throw new AppError(ErrorCode.conflict, taken);
    const actor = actorOf(req.principal);
    const timing = { cadence: b.cadence, weekday: b.weekday ?? null, hour: b.hour };
    const s = await insertReportSchedule(
      prisma,
      {
        name: b.name,
        ...timing,
        ...r,
        destinationType: d.type,
        destination,
        enabled: b.enabled,
        createdBy: actor,
        nextRunAt: nextRunAfter(timing, new Date()),
      },
      (row) => ({
        actor,
        action: 'report-schedule.create',
        target: row.id,
        details: {
          name: row.name,
          ...timing,
          report: r,
          destination: { type: d.type, target: d.type === 'directory' ? destination : maskUrl(destination) },
        },
      }),
    ).catch(conflictOnUnique(taken));
    return reply.code(201).send(toItem(s));
  });

  app.get(
    '',
    { preHandler: app.requireRole(), schema: { querystring: ListQuery, response: { 200: page(ReportScheduleItem) } } },
    async (req) => {
      const { rows, total } = await reportSchedulePage(prisma, req.query);
      return { items: rows.map(toItem), total };
    },
  );

  app.delete('/:id', { preHandler: admin, schema: { params: Params, response: { 200: ReportScheduleItem } } }, async (req) => {
    const s = await find(req.params.id);
    const actor = actorOf(req.principal);
    await deleteReportSchedule(prisma, s.id, { actor, action: 'report-schedule.delete', target: s.id, details: { name: s.name } });
    return toItem(s);
  });

  app.post('/:id/run', { preHandler: admin, schema: { params: Params, response: { 200: RunResult } } }, async (req) => {
    const s = await find(req.params.id);
    const outcome = await app.reportScheduler.run(s, `${actorOf(req.principal)} (schedule:${s.name})`);
    return { ...outcome, schedule: toItem(await find(s.id)) };
  });
};

export default reportScheduleRoutes;
