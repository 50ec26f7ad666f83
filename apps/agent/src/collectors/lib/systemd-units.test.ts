import { describe, expect, it } from 'vitest';
import { installKind, templateOf } from './systemd-units';
import { cases } from '../../../test/support/cases';

describe('unit files', () => {
  cases(installKind, [
    ['[Unit]\nA=b\n[Install]\nWantedBy=multi-user.target\n', 'install'],
    ['[Install]\nAlias=x.service\n', 'install'],
    ['[Install]\nAlso=avahi-daemon.socket\n', 'also'],
    ['[Service]\nWantedBy=x\n', 'none'],
    ['[Install]\nWantedBy=\n', 'none'],
  ]);

  it('maps an instance to its template', () => {
    expect(templateOf('getty@tty1.service')).toBe('getty@.service');
    expect(templateOf('ssh.service')).toBe('ssh.service');
  });
});
