import { createHash } from 'node:crypto';
import {
  AdvisoryIndex,
  exposureOf,
  type ExposureFacts,
  FeedError,
  findingsOf,
  FleetMatcher,
  hostRelease,
  type HostInventory,
  type MatchGroup,
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

/** Hosts read and written per step of a fleet-wide re-match; between steps, queued hosts go first. */
const FLEET_PAGE = 100;

const inventoryOf = (facts: Partial<Facts>): HostInventory => ({
  os: facts.host?.os ?? null,
  packages: facts.packages?.packages ?? [],
  runningKernel: facts.packages?.running_kernel ?? null,
});
const exposureFactsOf = (facts: Partial<Facts>): ExposureFacts => ({
  sockets: facts.listening_sockets ?? [],
  units: facts.services?.units ?? [],
});

/**
 * Known vulnerabilities of the fleet. Holds the advisory index of the stored feeds (rebuilt
 * when any feed changes, also when another process imported it) and every host's packages
 * grouped by source package (a FleetMatcher: the one way hosts are matched). Work is done in
 * the background, so that ingest never waits: a host whose facts changed is regrouped and
 * matched (a delta); after a data update every host is re-matched from the groups held, in
 * pages, with changed hosts served between pages. Packages stored by another process (another
 * replica) are noticed by their digest at the next fleet-wide pass.
 */
export class VulnerabilityService {
  private index: AdvisoryIndex | null = null;
  private generation: string | null = null;
  private readonly fleet = new FleetMatcher();
  /** The stored digest of each held host's `host` and `packages` facts, when it has one. */
  private readonly inventoryDigest = new Map<string, string>();
  private readonly queue = new Set<string>();
  private fleetPass = false;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly prisma: DbClient,
    private readonly log: FastifyBaseLogger,
  ) {}

  /**
   * Parses and stores one feed file, audited as `vulndb.import` by `actor` (an operator, `cli`,
   * or `system` for a scheduled fetch); a cut or malformed one throws a FeedError and stores
   * nothing. `feed` is the file already parsed, where the caller had to parse it first.
   */
  async importFeed(
    data: Uint8Array,
    origin: string,
    actor: string,
    { now = new Date(), feed = parseFeed(data) }: { now?: Date; feed?: ParsedFeed } = {},
  ): Promise<ImportResult> {
    const sha256 = createHash('sha256').update(data).digest('hex');
    const records = await store.storeFeed(this.prisma, feed, { sha256, origin, now, actor });
    return { kind: feed.kind, version: feed.version, records };
  }

  /**
   * Fetches each feed URL and imports what it serves, audited as `system`. A URL that fails
   * (unreachable, an HTTP error, a cut or malformed file) is logged and leaves that feed's data
   * as it was; the others are still fetched.
   */
  async fetchFeeds(urls: readonly string[]): Promise<void> {
    for (const url of urls) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(300_000) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const r = await this.importFeed(new Uint8Array(await res.arrayBuffer()), url, 'system');
        this.log.info({ url, ...r }, 'vulnerability feed fetched');
      } catch (err) {
        this.log.warn(
          { url, code: err instanceof FeedError ? err.code : undefined, err: (err as Error).message },
          'vulnerability feed not updated',
        );
      }
    }
  }

  /** Queues a host whose facts changed; the worker regroups and matches it soon after. */
  schedule(hostId: string): void {
    if (this.stopped) return;
    this.queue.add(hostId);
    this.kick();
  }

  /** Reloads the index when the stored feeds changed, and then re-matches every host in the background. */
  async refresh(): Promise<boolean> {
    const generation = await store.dataGeneration(this.prisma);
    if (generation === this.generation) return false;
    this.index = null;
    this.generation = generation;
    // No feed imported yet: nothing can match, and no host's packages need holding.
    if (generation !== '' && !this.stopped) {
      this.fleetPass = true;
      this.kick();
    }
    return true;
  }

  /** Resolves when no work is left (tests and the CLI). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.clear();
    this.fleetPass = false;
    await this.idle();
  }

  private kick(): void {
    this.running ??= this.work().finally(() => {
      this.running = null;
    });
  }

  private async work(): Promise<void> {
    // Let the ingest that queued the host finish first.
    await new Promise((r) => setImmediate(r));
    while (!this.stopped && (this.queue.size || this.fleetPass)) {
      if (this.queue.size) await this.drainQueue();
      else {
        this.fleetPass = false;
        try {
          await this.matchFleet();
        } catch (err) {
          this.log.warn({ err }, 'fleet-wide vulnerability matching failed');
        }
      }
    }
  }

  private async drainQueue(): Promise<void> {
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

  /** Regroups one host from its stored facts, matches it and stores its findings (drift events for what changed). */
  async matchHost(hostId: string, now = new Date()): Promise<{ gained: number; lost: number }> {
    this.generation ??= await store.dataGeneration(this.prisma);
    if (this.generation === '') return { gained: 0, lost: 0 };
    const stored = await store.hostFacts(this.prisma, hostId);
    if (!stored) {
      this.fleet.deleteHost(hostId);
      this.inventoryDigest.delete(hostId);
      return { gained: 0, lost: 0 };
    }
    const facts = stored.facts as Partial<Facts>;
    this.hold(hostId, inventoryOf(facts), stored.inventoryDigest);
    const index = await this.currentIndex();
    return this.store(hostId, this.fleet.match(hostId, index), exposureFactsOf(facts), now);
  }

  private hold(hostId: string, inventory: HostInventory, digest: string | null): void {
    this.fleet.setHost(hostId, inventory);
    if (digest) this.inventoryDigest.set(hostId, digest);
    else this.inventoryDigest.delete(hostId);
  }

  /**
   * Every host re-matched against the current data: the groups held are brought up to date
   * with the stored packages (by digest; all of them the first time), then matched a page of
   * hosts at a time, with only the listeners and services read from the database.
   */
  private async matchFleet(now = new Date()): Promise<void> {
    const stored = await store.inventoryDigests(this.prisma);
    for (const id of [...this.inventoryDigest.keys()]) if (!stored.has(id)) this.inventoryDigest.delete(id);
    const stale = [...stored].filter(([id, digest]) => digest === null || this.inventoryDigest.get(id) !== digest).map(([id]) => id);
    for (let i = 0; i < stale.length && !this.stopped; i += FLEET_PAGE) {
      for (const [id, f] of await store.inventoryFacts(this.prisma, stale.slice(i, i + FLEET_PAGE))) {
        this.hold(id, inventoryOf(f.facts as Partial<Facts>), f.inventoryDigest);
      }
    }
    // Hosts gone from the database, or never held (no advisory data covers them), have no findings to re-match.
    const index = await this.currentIndex();
    const matched = this.fleet.matchAll(index);
    for (;;) {
      if (this.stopped) return;
      const page: [string, MatchGroup[]][] = [];
      while (page.length < FLEET_PAGE) {
        const r = matched.next();
        if (r.done) break;
        if (stored.has(r.value[0])) page.push(r.value);
        else this.fleet.deleteHost(r.value[0]);
      }
      if (!page.length) return;
      const exposure = await store.exposureFacts(
        this.prisma,
        page.map(([id]) => id),
      );
      for (const [id, groups] of page) {
        try {
          await this.store(id, groups, exposureFactsOf((exposure.get(id) ?? {}) as Partial<Facts>), now);
        } catch (err) {
          this.log.warn({ err, hostId: id }, 'vulnerability matching failed for a host');
        }
      }
      // Hosts whose packages changed meanwhile are not kept waiting for the rest of the fleet.
      if (this.queue.size) await this.drainQueue();
    }
  }

  private async store(
    hostId: string,
    groups: MatchGroup[],
    exposureFacts: ExposureFacts,
    now: Date,
  ): Promise<{ gained: number; lost: number }> {
    const found = findingsOf(groups);
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
