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

describe('LastEvaluations', () => {
  const sel = selection();
  const remembered = () => {
    const last = new LastEvaluations();
    last.keep('h1', last.prepare('digest-1', 7, sel, evaluation, statuses));
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
    last.keep('h1', last.prepare('digest-1', 7, sel, evaluation, ['pass', 'pass', 'pass', 'unknown' as Status]));
    expect(last.since('h1', 'digest-1', sel, 7, new Set())).toBeUndefined();
  });
});
