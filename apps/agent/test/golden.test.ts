import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledContent } from '@plumbline/benchmarks/content';
import { evaluate } from '@plumbline/benchmarks/engine';
import { collectFacts } from '../src/collectors/index';
import { copyFixtureTree } from './support/host-trees';

/**
 * Golden results per fixture host: `<rule id> <status>` per line. They were reviewed rule by
 * rule against the fixture trees; regenerate with UPDATE_GOLDEN=1 only after reviewing the diff.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const hosts = ['debian12-default', 'debian12-hardened', 'ubuntu-2204', 'ubuntu-2404', 'rhel9', 'edge-mqtt'];
const now = new Date('2026-11-22T00:00:00Z');

const copies = mkdtempSync(path.join(tmpdir(), 'plumbline-golden-'));
afterAll(() => rmSync(copies, { recursive: true, force: true }));

describe('golden results per fixture host', () => {
  it.each(hosts)('%s', async (host) => {
    const root = copyFixtureTree(host, copies);
    const facts = await collectFacts({ root, live: false, log: pino({ level: 'silent' }) });
    const results = evaluate(bundledContent().rules, facts, { now });
    const text = results.map((r) => `${r.ruleId} ${r.status}`).join('\n') + '\n';
    const file = path.join(here, 'golden', `${host}.txt`);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
});
