import { randomUUID } from 'node:crypto';
import type { ReportOptions } from './options';
import { scopeLabel } from './options';
import type { ReportSource } from './source';
import { SummaryBuilder, type GroupLine, type HostLine, type ReportSummary } from './summary';

export interface Summarized {
  summary: ReportSummary;
  hosts: HostLine[];
  groups: GroupLine[];
}

/** What every format writer gets: the options, the source of results, and a first pass for the figures. */
export class ReportContext {
  readonly id = randomUUID();
  private summarized: Summarized | null = null;

  constructor(
    readonly source: ReportSource,
    /** The signing key, named in every format so that a reader can check it is the server's. */
    readonly signer: { keyId: string; fingerprint: string },
  ) {}

  get options(): ReportOptions {
    return this.source.options;
  }
  get generatedAt(): Date {
    return this.source.generatedAt;
  }
  get asOf(): Date | null {
    return this.options.asOf ?? null;
  }
  get scope(): string {
    return scopeLabel(this.options.scope);
  }

  /** Reads verdicts only (no evidence) once, keeping one line of figures per host. */
  async summarize(): Promise<Summarized> {
    if (this.summarized) return this.summarized;
    const b = new SummaryBuilder(this.options.waivers, this.options.framework);
    for await (const hr of this.source.hosts(false)) b.add(hr);
    this.summarized = { summary: b.summary(), hosts: b.hostLines, groups: b.groupLines() };
    return this.summarized;
  }

  /** The header facts every format states. */
  describe() {
    return {
      generatedAt: this.generatedAt.toISOString(),
      asOf: (this.asOf ?? this.generatedAt).toISOString(),
      pointInTime: this.asOf !== null,
      scope: this.scope,
      profile: this.options.profile ?? null,
      profileTitle: this.source.profileTitle,
      framework: this.options.framework ?? null,
      waivers: this.options.waivers,
      keyId: this.signer.keyId,
      keyFingerprint: this.signer.fingerprint,
    };
  }
}

export type ReportWriter = (ctx: ReportContext) => AsyncIterable<string | Buffer>;
