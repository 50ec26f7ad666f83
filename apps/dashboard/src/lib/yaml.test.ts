import { describe, expect, it } from 'vitest';
import { toYaml } from './yaml';

describe('toYaml', () => {
  it('renders an Ansible task as a task list', () => {
    const task = {
      name: 'Set PermitRootLogin no in sshd',
      'ansible.builtin.lineinfile': { path: '/etc/ssh/sshd_config', regexp: '(?i)^\\s*PermitRootLogin\\s', line: 'PermitRootLogin no', create: true, mode: '0600' },
    };
    expect(toYaml(task)).toBe(
      [
        '- name: Set PermitRootLogin no in sshd',
        '  ansible.builtin.lineinfile:',
        '    path: /etc/ssh/sshd_config',
        '    regexp: "(?i)^\\\\s*PermitRootLogin\\\\s"',
        '    line: PermitRootLogin no',
        '    create: true',
        '    mode: "0600"',
        '',
      ].join('\n'),
    );
  });

  it('quotes strings YAML would read as other types and keeps multi-line blocks', () => {
    expect(toYaml({ a: 'yes', b: '1', c: 'x\ny\n', d: [] })).toBe('- a: "yes"\n  b: "1"\n  c: |\n    x\n    y\n  d: []\n');
  });

  it('passes strings through', () => {
    expect(toYaml('- name: x\n')).toBe('- name: x\n');
  });
});
