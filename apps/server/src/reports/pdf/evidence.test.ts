import { describe, expect, it } from 'vitest';
import { evidenceSummary, evidenceText, readableValue } from './evidence';

describe('PDF evidence text', () => {
  it('reads JSON observations as words', () => {
    expect(readableValue('{"unit":"cron.service","enabled_state":"enabled","active_state":null}')).toBe(
      'unit cron.service, enabled state enabled',
    );
    expect(readableValue('[{"file":"/etc/pam.d/common-auth","line":17}]')).toBe('/etc/pam.d/common-auth:17');
    expect(readableValue('[]')).toBe('none');
    expect(readableValue('[{"file":"/etc/pam.d/system-auth","line":6},{"file":"/etc/pam.d/pass...')).toBe(
      '/etc/pam.d/system-auth:6, file /etc/pam.d/pass...',
    );
    expect(readableValue('{"unit":"cron.service","enabled_state":"ena...')).toBe('unit cron.service, enabled state ena...');
    expect(readableValue('rw, nosuid')).toBe('rw, nosuid');
    expect(readableValue('in [1, 2, 3]')).toBe('in [1, 2, 3]');
    expect(readableValue('1: {"who":["nagios"],"runas":"root","reason":"!auth...')).toBe('1: who nagios, runas root, reason !auth...');
  });

  it('states expected, observed and where as sentences', () => {
    expect(evidenceText({ expected: 'mode <= 0600', observed: '0644', source: '/etc/ssh/sshd_config' })).toBe(
      'Expected: mode <= 0600. Observed: 0644. Where: /etc/ssh/sshd_config.',
    );
    expect(evidenceText({ expected: 'installed.', observed: '' })).toBe('Expected: installed. Observed: (empty).');
    const three = [1, 2, 3].map((i) => ({ expected: `e${i}`, observed: `o${i}` }));
    expect(evidenceSummary(three)).toBe('Expected: e1. Observed: o1. (2 more in the CSV and JSON reports.)');
    expect(evidenceSummary(three, 2)).toBe(
      'Expected: e1. Observed: o1.\nExpected: e2. Observed: o2. (1 more in the CSV and JSON reports.)',
    );
  });
});
