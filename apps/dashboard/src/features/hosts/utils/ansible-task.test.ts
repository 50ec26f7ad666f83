import { describe, expect, it } from 'vitest';
import { toAnsibleYaml } from './ansible-task';

describe('toAnsibleYaml', () => {
  it('renders an Ansible task as a task list', () => {
    const task = {
      name: 'Set PermitRootLogin no in sshd',
      'ansible.builtin.lineinfile': {
        path: '/etc/ssh/sshd_config',
        regexp: '(?i)^\\s*PermitRootLogin\\s',
        line: 'PermitRootLogin no',
        create: true,
        mode: '0600',
      },
    };
    expect(toAnsibleYaml(task)).toBe(
      [
        '- name: Set PermitRootLogin no in sshd',
        '  ansible.builtin.lineinfile:',
        '    path: /etc/ssh/sshd_config',
        '    regexp: (?i)^\\s*PermitRootLogin\\s',
        '    line: PermitRootLogin no',
        '    create: true',
        '    mode: "0600"',
        '',
      ].join('\n'),
    );
  });

  it('quotes strings Ansible would read as other types and keeps multi-line blocks', () => {
    expect(toAnsibleYaml({ a: 'yes', b: '1', c: 'x\ny\n', d: [], e: 'off' })).toBe(
      '- a: "yes"\n  b: "1"\n  c: |\n    x\n    y\n  d: []\n  e: "off"\n',
    );
  });

  it('never folds a long line', () => {
    const shell = `echo ${'x'.repeat(150)}`;
    expect(toAnsibleYaml({ 'ansible.builtin.shell': shell })).toBe(`- ansible.builtin.shell: ${shell}\n`);
  });

  it('passes strings through', () => {
    expect(toAnsibleYaml('- name: x\n')).toBe('- name: x\n');
  });
});
