import { READS_CLOCK, type Status, type TrackedEvaluation } from '@plumbline/benchmarks/engine';
import type { Rule } from '@plumbline/benchmarks/schema';
import type { Selection } from '@plumbline/benchmarks/tailoring';
import { describe, expect, it } from 'vitest';
import { LastEvaluations } from './last-evaluation';

const selection = (): Selection => ({
  profile: null,
  title: 'test',
  rules: ['plb-ssh-root', 'plb-ssh-x11', 'plb-ntp', 'plb-cert-expiry'].map((id) => ({ id }) as Rule),
  params: {},
});
const evaluation: TrackedEvaluation = {
  results: [],
  reads: [['sshd_config'], ['sshd_config', 'packages'], ['services'], [READS_CLOCK, 'files']],
  scheme: 'deb',
};
const statuses: Status[] = ['fail', 'pass', 'notapplicable', 'error'];
const facts = new Map([
  ['packages', 'Xq3-digest-of-packages-aaaaaaaaaaaaaaaaaaaaaaa'],
  ['services', 'b7_-digest-of-services-aaaaaaaaaaaaaaaaaaaaaaa'],
  ['sshd_config', '0aZ-digest-of-sshd-aaaaaaaaaaaaaaaaaaaaaaaaaaa'],
]);

describe('LastEvaluations', () => {
  const sel = selection();
  const remembered = () => {
    const last = new LastEvaluations();
    last.keep('h1', last.prepare('digest-1', 7, sel, evaluation, statuses, facts));
    return last;
  };

  it('names the verdicts an ingest needs: those of rules reading a changed fact, and those reading the clock', () => {
    expect(remembered().known('h1', new Set(['sshd_config']))).toEqual({
      rev: 7,
      needed: ['plb-ssh-root', 'plb-ssh-x11', 'plb-cert-expiry'],
    });
    expect(remembered().known('h1', new Set(['services']))).toEqual({ rev: 7, needed: ['plb-ntp', 'plb-cert-expiry'] });
    expect(remembered().known('h2', new Set(['services']))).toBeNull();
  });

  it('builds on the evaluation left only at the same facts, verdicts revision and selection, with the statuses it left', () => {
    const last = remembered();
    const changed = new Set(['services']);
    const previous = last.since('h1', 'digest-1', sel, 7, changed);
    expect(previous?.since.reads).toEqual(evaluation.reads);
    expect([0, 1, 2, 3].map((i) => previous?.status(i))).toEqual(statuses);
    // Another writer moved the verdicts on; the facts changed under it; the policy changed.
    expect(last.since('h1', 'digest-1', sel, 8, changed)).toBeUndefined();
    expect(last.since('h1', 'digest-2', sel, 7, changed)).toBeUndefined();
    expect(last.since('h1', 'digest-1', selection(), 7, changed)).toBeUndefined();
  });

  it('forgets a host, and remembers nothing of a status it cannot hold', () => {
    const last = remembered();
    last.forget('h1');
    expect(last.known('h1', new Set())).toBeNull();
    last.keep('h1', last.prepare('digest-1', 7, sel, evaluation, ['pass', 'pass', 'pass', 'unknown' as Status], facts));
    expect(last.since('h1', 'digest-1', sel, 7, new Set())).toBeUndefined();
  });

  it('tells which facts a snapshot changes from the digests the evaluation left', () => {
    const last = remembered();
    expect(last.changedSince('h1', facts, [])).toEqual(new Set());
    const sshd = new Map([...facts, ['sshd_config', '0aZ-digest-of-sshd-bbbbbbbbbbbbbbbbbbbbbbbbbbb']]);
    // Only the first characters of a digest are kept: those must differ (a digest's do, but for once in billions).
    expect(last.changedSince('h1', sshd, [])).toEqual(new Set());
    sshd.set('sshd_config', '1aZ-digest-of-sshd-aaaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(last.changedSince('h1', sshd, [])).toEqual(new Set(['sshd_config']));
    // A fact that goes (now an error, say), one that appears, and one that carries an error.
    const other = new Map([...facts, ['users', 'u1']]);
    other.delete('services');
    expect(last.changedSince('h1', other, ['services', 'mounts'])).toEqual(new Set(['services', 'users', 'mounts']));
    expect(last.changedSince('h2', facts, [])).toBeNull();
  });
});
