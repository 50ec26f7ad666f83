import { describe, expect, it } from 'vitest';
import { EMPTY_PORT, groupNameProblem, MQTT_BROKER_PORTS, portRows, tailoringRows, toPolicy } from './policy-form';

describe('toPolicy', () => {
  it('builds the PUT body from rows, leaving blank rows out', () => {
    const result = toPolicy(
      'edge-device',
      [
        { ruleId: 'plb-ssh-max-auth-tries', enabled: true, params: '{"max": 3}' },
        { ruleId: 'plb-fs-tmp-noexec', enabled: false, params: '' },
        { ruleId: '', enabled: true, params: '' },
      ],
      [...MQTT_BROKER_PORTS, EMPTY_PORT, { port: '', protocol: 'udp', address: '0.0.0.0', process: 'chronyd', comment: '' }],
    );
    expect(result).toEqual({
      ok: true,
      value: {
        profileId: 'edge-device',
        tailoring: { rules: { 'plb-ssh-max-auth-tries': { params: { max: 3 } }, 'plb-fs-tmp-noexec': { enabled: false } } },
        allowedPorts: [
          { port: 1883, protocol: 'tcp', comment: 'MQTT' },
          { port: 8883, protocol: 'tcp', comment: 'MQTT over TLS' },
          { port: 8083, protocol: 'tcp', comment: 'MQTT over WebSocket' },
          { port: 8084, protocol: 'tcp', comment: 'MQTT over secure WebSocket' },
          { protocol: 'udp', address: '0.0.0.0', process: 'chronyd' },
        ],
      },
    });
  });

  it('sends an empty tailoring when no rule is tailored', () => {
    expect(toPolicy('cis-l1-server', [], [])).toEqual({ ok: true, value: { profileId: 'cis-l1-server', tailoring: {}, allowedPorts: [] } });
  });

  it('lists every problem it can see, naming the row', () => {
    const result = toPolicy(
      'cis-l1-server',
      [
        { ruleId: 'a', enabled: true, params: '{max: 3}' },
        { ruleId: 'b', enabled: true, params: '[1]' },
        { ruleId: 'c', enabled: false, params: '' },
        { ruleId: 'c', enabled: true, params: '' },
        { ruleId: ' ', enabled: false, params: '' },
      ],
      [
        { ...EMPTY_PORT, port: '70000' },
        { ...EMPTY_PORT, port: '22.5' },
      ],
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        'tailoring a: parameters are not valid JSON',
        'tailoring b: parameters are a JSON object, e.g. {"name": value}',
        'tailoring: c is listed twice',
        'tailoring row 5: the rule id is missing',
        'allowed port row 1: 70000 is not a port number (0-65535)',
        'allowed port row 2: 22.5 is not a port number (0-65535)',
      ],
    });
  });
});

describe('rows from a stored group', () => {
  it('round-trips a policy', () => {
    const tailoring = { rules: { x: { enabled: false }, y: { params: { port: 2222 } } } };
    const ports = [{ port: 1883, protocol: 'tcp' as const }, { process: 'sshd' }];
    const rows = tailoringRows(tailoring);
    expect(rows).toEqual([
      { ruleId: 'x', enabled: false, params: '' },
      { ruleId: 'y', enabled: true, params: '{"port":2222}' },
    ]);
    expect(toPolicy('edge-device', rows, portRows(ports))).toEqual({
      ok: true,
      value: { profileId: 'edge-device', tailoring, allowedPorts: ports },
    });
  });
});

describe('groupNameProblem', () => {
  it.each([
    ['mqtt-broker', null],
    ['web_1.eu', null],
    ['', 'Enter a group name.'],
    ['has space', 'Use letters, digits, dot, underscore and hyphen only.'],
    ['x'.repeat(101), 'A group name has at most 100 characters.'],
  ])('%s', (name, problem) => {
    expect(groupNameProblem(name)).toBe(problem);
  });
});
