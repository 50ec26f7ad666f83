import { describe, expect, it } from 'vitest';
import { decodeHexAddress, parseCgroupUnit, parseProcNet } from './parse';
import { cases } from '../../../test/support/cases';

const TCP_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

describe('decodeHexAddress', () => {
  cases(decodeHexAddress, [
    ['00000000', '0.0.0.0'],
    ['0100007F', '127.0.0.1'],
    ['3500007F', '127.0.0.53'],
    ['0F02000A', '10.0.2.15'],
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000001000000', '::1'],
    ['0000000000000000FFFF00000100007F', '::ffff:127.0.0.1'],
    ['000080FE00000000FF0050025EB60CFE', 'fe80::250:ff:fe0c:b65e'],
    ['B80D0120000000000000000001000000', '2001:db8::1'],
    ['B80D0120010000000000000001000000', '2001:db8:0:1::1'],
    ['B80D01200100000001000000010000000', null],
    ['nothex00', null],
  ]);
});

describe('parseProcNet', () => {
  it('decodes the listener on 0.0.0.0:2222', () => {
    const text =
      TCP_HEADER +
      '   0: 00000000:08AE 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41234 1 0000000000000000 100 0 0 10 0\n';
    expect(parseProcNet(text, 'tcp')).toEqual([{ protocol: 'tcp', address: '0.0.0.0', port: 2222, inode: 41234, uid: 0 }]);
  });

  it.each([
    ['tcp', '0A', '00000000:0000', true],
    ['tcp', '01', '0202000A:C822', false], // established
    ['tcp', '06', '0202000A:C822', false], // time-wait
    ['udp', '07', '00000000:0000', true], // bound, unconnected
    ['udp', '01', '0107A8C0:0035', false], // connected UDP is a client
    ['udp', '07', '0107A8C0:0035', false],
  ] as const)('%s state %s remote %s listening=%s', (protocol, state, remote, listening) => {
    const text = `${TCP_HEADER}   0: 0100007F:0035 ${remote} ${state} 00000000:00000000 00:00000000 00000000   102        0 777 2 0000000000000000 0\n`;
    expect(parseProcNet(text, protocol).length).toBe(listening ? 1 : 0);
  });

  it('decodes v6 listeners and drops exact duplicates', () => {
    const any = '00000000000000000000000000000000';
    const lo = '00000000000000000000000001000000';
    const line = (addr: string, port: string, inode: number) =>
      `   0: ${addr}:${port} ${any}:0000 0A 00000000:00000000 00:00000000 00000000   106        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;
    const text = TCP_HEADER + line(any, '0016', 10) + line(lo, '18EB', 11) + line(lo, '18EB', 11) + line(lo, '18EB', 12);
    expect(parseProcNet(text, 'tcp6')).toEqual([
      { protocol: 'tcp6', address: '::', port: 22, inode: 10, uid: 106 },
      { protocol: 'tcp6', address: '::1', port: 6379, inode: 11, uid: 106 },
      { protocol: 'tcp6', address: '::1', port: 6379, inode: 12, uid: 106 },
    ]);
  });
});

describe('parseCgroupUnit', () => {
  cases(parseCgroupUnit, [
    ['0::/system.slice/ssh.service\n', 'ssh.service'],
    ['0::/system.slice/docker-0123abcd.scope\n', 'docker-0123abcd.scope'],
    ['0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-foo.service\n', 'app-foo.service'],
    ['0::/system.slice/postgresql@15-main.service/postmaster\n', 'postgresql@15-main.service'],
    ['12:pids:/system.slice/cron.service\n1:name=systemd:/system.slice/cron.service\n0::/\n', null],
    ['12:pids:/system.slice/cron.service\n1:name=systemd:/system.slice/cron.service\n', 'cron.service'],
    ['0::/\n', null],
    ['', null],
  ]);
});
