/**
 * An agent's clock against the server's. Agents run on hosts with dead RTC batteries, VMs
 * restored from old images, or no NTP: their timestamps are a claim, not a fact. The skew is
 * measured at hello (the agent's `sentAt` against the server's clock) and again whenever a
 * message claims a time too far ahead to be honest; beyond the threshold the host is
 * flagged, and the agent's times are moved onto the server's clock before anything is
 * evaluated or stored with them (waiver expiry, password ages, first-failed times).
 */
export interface AgentClock {
  /** Agent clock minus server clock, in whole seconds (positive: the agent is ahead). */
  skewSeconds: number;
  /** The skew is beyond SKEW_THRESHOLD_SECONDS: the agent's times are corrected. */
  flagged: boolean;
}

/** Five minutes: NTP keeps honest clocks within a second, and a message rarely takes more than a few. */
export const SKEW_THRESHOLD_SECONDS = 300;

export const NO_SKEW: AgentClock = { skewSeconds: 0, flagged: false };

/**
 * The skew is stored in a 32-bit column; a clock set to year 9999 is thousands of years
 * ahead and used to overflow it (a failed ingest). Clamped, it is still flagged, and times
 * still end up no later than their receipt.
 */
const MAX_SKEW_SECONDS = 2 ** 31 - 1;

export function clockOf(skewSeconds: number): AgentClock {
  const clamped = Math.max(-MAX_SKEW_SECONDS, Math.min(MAX_SKEW_SECONDS, skewSeconds));
  return { skewSeconds: clamped, flagged: Math.abs(clamped) > SKEW_THRESHOLD_SECONDS };
}

/** The skew from the hello's `sentAt`, received at `now` (transit time counts as skew: it is below a second). */
export function measureSkew(sentAt: Date, now: Date): AgentClock {
  return clockOf(Math.round((sentAt.getTime() - now.getTime()) / 1000));
}

/**
 * A message claiming a time further ahead than the known skew explains: the agent clock
 * jumped since hello. Returns the new clock, or null when the known one still holds.
 * Times behind are not evidence: a message replayed from the spool is legitimately old.
 */
export function recheckSkew(clock: AgentClock, observedAt: Date, now: Date): AgentClock | null {
  const ahead = Math.round((observedAt.getTime() - now.getTime()) / 1000) - (clock.flagged ? clock.skewSeconds : 0);
  return ahead > SKEW_THRESHOLD_SECONDS ? clockOf(ahead + (clock.flagged ? clock.skewSeconds : 0)) : null;
}

/** When the agent observed something, on the server's clock: corrected by the skew, never later than its receipt. */
export function serverTimeOf(observedAt: Date, clock: AgentClock, now: Date): Date {
  const t = clock.flagged ? observedAt.getTime() - clock.skewSeconds * 1000 : observedAt.getTime();
  if (clock.flagged ? t > now.getTime() : t > now.getTime() + SKEW_THRESHOLD_SECONDS * 1000) return now;
  return clock.flagged ? new Date(t) : observedAt;
}
