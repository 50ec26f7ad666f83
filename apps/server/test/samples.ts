import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Content } from '@plumbline/benchmarks/load';
import type { PrismaClient } from '../src/generated/prisma/client';
import { prepareReport, signatureFile, writeReport } from '../src/reports/export';
import type { ReportFormat } from '../src/reports/options';
import { ensureSigningKey } from '../src/signing/key';

export const SAMPLES = fileURLToPath(new URL('../../../docs/samples', import.meta.url));

/**
 * Regenerates docs/samples from the fixture fleet (see fixture-fleet.ts): each format signed with
 * the test server's key, beside its detached signature. Run with
 * `PLUMBLINE_WRITE_SAMPLES=1 pnpm exec vitest run apps/server/test/reports-pdf.test.ts`.
 */
export async function writeSamples(prisma: PrismaClient, content: Content): Promise<void> {
  await mkdir(SAMPLES, { recursive: true });
  const key = await ensureSigningKey(prisma);
  const formats: [ReportFormat, string][] = [
    ['pdf', 'fixture-fleet.pdf'],
    ['html', 'fixture-fleet.html'],
    // ARF wraps the same TestResults: the XCCDF sample shows both.
    ['xccdf', 'fixture-fleet.xccdf.xml'],
    // The evidence pack: pdf, json, csv and xccdf with their signatures, waivers and the audit slice.
    ['pack', 'fixture-fleet.pack.zip'],
  ];
  for (const [format, name] of formats) {
    const job = prepareReport(prisma, content, key, { format, scope: { kind: 'fleet' }, waivers: true });
    const file = path.join(SAMPLES, name);
    const signed = await writeReport(job, key, createWriteStream(file));
    await writeFile(`${file}.sig`, `${JSON.stringify(signatureFile(signed, key), null, 2)}\n`);
  }
}
