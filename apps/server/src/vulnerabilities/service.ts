import { createHash } from 'node:crypto';
import {
  AdvisoryIndex,
  exposureOf,
  type ExposureFacts,
  FeedError,
  hostRelease,
  type HostInventory,
  matchHost,
  parseFeed,
  type ParsedFeed,
  priorityBand,
  priorityOf,
} from '@plumbline/advisories';
import type { Facts } from '@plumbline/protocol/facts';
import type { FastifyBaseLogger } from 'fastify';
import type { DbClient } from '../db/open';
import * as store from './repository';

/** The facts a host's findings depend on: a change in any of them re-matches it. */
export const MATCH_FACTS = new Set(['host', 'packages', 'listening_sockets', 'services']);

export interface ImportResult {
  kind: string;
  version: string | null;
  records: number;
}

/**
 * Known vulnerabilities of the fleet. Holds the advisory index of the stored feeds (rebuilt
 * when any feed changes, also when another process imported it) and a queue of hosts to
 * match, worked through in the background one host at a time so that ingest never waits.
 */
export class VulnerabilityService {
  private index: AdvisoryIndex | null = null;
  private generation: string | null = null;
  private readonly queue = new Set<string>();
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly prisma: DbClient,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Parses and stores one feed file; a cut or malformed one throws a FeedError and stores nothing. */
  async importFeed(data: Uint8Array, origin: string, now = new Date(), feed: ParsedFeed = parseFeed(data)): Promise<ImportResult> {
    const sha256 = createHash('sha256').update(data).digest('hex');
    const records = await store.storeFeed(this.prisma, feed, { sha256, origin, now });
    return { kind: feed.kind, version: feed.version, records };
  }

  /** Queues a host; the worker matches it soon after. */
  schedule(hostId: string): void {
    if (this.stopped) return;
    this.queue.add(hostId);
    this.running ??= this.work().finally(() => {
      this.running = null;
    });
  }

  /** Reloads the index when the stored feeds changed, and then queues every host. */
  async refresh(): Promise<boolean> {
    const generation = await store.dataGeneration(this.prisma);
    if (generation === this.generation) return false;
    this.index = null;
    this.generation = generation;
    for (const id of await store.hostIds(this.prisma)) this.schedule(id);
    return true;
  }

  /** Resolves when the queue is empty (tests and the CLI). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.clear();
    await this.idle();
  }

  private async work(): Promise<void> {
    // Let the ingest that queued the host finish first.
    await new Promise((r) => setImmediate(r));
    while (this.queue.size && !this.stopped) {
      const [hostId] = this.queue as Set<string>;
      this.queue.delete(hostId as string);
      try {
        await this.matchHost(hostId as string);
      } catch (err) {
        this.log.warn({ err, hostId }, 'vulnerability matching failed for a host');
      }
    }
  }

  private async currentIndex(): Promise<AdvisoryIndex> {
    if (!this.index) {
      this.generation ??= await store.dataGeneration(this.prisma);
      this.index = new AdvisoryIndex(await store.advisories(this.prisma));
    }
    return this.index;
  }

  /** Matches one host's stored facts and stores its findings (drift events for what changed). */
  async matchHost(hostId: string, now = new Date()): Promise<{ gained: number; lost: number }> {
    const facts = (await store.hostFacts(this.prisma, hostId)) as Partial<Facts> | null;
    if (!facts) return { gained: 0, lost: 0 };
    const index = await this.currentIndex();
    const inventory: HostInventory = {
      os: facts.host?.os ?? null,
      packages: facts.packages?.packages ?? [],
      runningKernel: facts.packages?.running_kernel ?? null,
    };
    const exposureFacts: ExposureFacts = { sockets: facts.listening_sockets ?? [], units: facts.services?.units ?? [] };
    const found = matchHost(index, inventory);
    const info = await store.cveRows(this.prisma, [...new Set(found.map((f) => f.cve))]);
    const rows: store.FindingRow[] = found.map((f) => {
      const { exposure, listeners } = exposureOf(f.packages, exposureFacts, f.kernel);
      const c = info.get(f.cve);
      return {
        cve: f.cve,
        source: f.source,
        installedVersion: f.installedVersion,
        packages: f.packages,
        fixedVersion: f.fixedVersion,
        state: f.state,
        kernel: f.kernel,
        exposure,
        listeners,
        priority: priorityOf({ cvss: c?.cvss ?? null, severity: f.severity, epss: c?.epss ?? null, kev: c?.kev ?? false, exposure }),
        severity: f.severity,
      };
    });
    const { gained, lost } = await store.replaceFindings(this.prisma, hostId, rows, now, priorityBand);
    return { gained: gained.length, lost: lost.length };
  }

  /** `debian bookworm` for a host's OS, or null when no advisory data applies. */
  static releaseOf(os: HostInventory['os']): string | null {
    const r = hostRelease(os);
    return r ? `${r.distro} ${r.release}` : null;
  }
}

export { FeedError };
