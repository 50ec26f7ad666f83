/**
 * What OpenSSH (9.x, as shipped by Debian 12, Ubuntu 22.04/24.04 and RHEL 9) uses for a keyword
 * that no file sets, from sshd_config(5). A config without `PermitRootLogin` is not "unset": sshd
 * runs with prohibit-password. null: the keyword has no value unless set (e.g. AllowUsers).
 */
export const SSHD_DEFAULTS: Readonly<Record<string, string | null>> = {
  acceptenv: null,
  allowagentforwarding: 'yes',
  allowgroups: null,
  allowstreamlocalforwarding: 'yes',
  allowtcpforwarding: 'yes',
  allowusers: null,
  authenticationmethods: 'any',
  authorizedkeysfile: '.ssh/authorized_keys .ssh/authorized_keys2',
  banner: 'none',
  ciphers: 'chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com',
  clientalivecountmax: '3',
  clientaliveinterval: '0',
  compression: 'yes',
  denygroups: null,
  denyusers: null,
  disableforwarding: 'no',
  gatewayports: 'no',
  gssapiauthentication: 'no',
  hostbasedauthentication: 'no',
  ignorerhosts: 'yes',
  ignoreuserknownhosts: 'no',
  kbdinteractiveauthentication: 'yes',
  kerberosauthentication: 'no',
  kexalgorithms:
    'sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256',
  listenaddress: null,
  logingracetime: '120',
  loglevel: 'INFO',
  macs: 'umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1',
  maxauthtries: '6',
  maxsessions: '10',
  maxstartups: '10:30:100',
  passwordauthentication: 'yes',
  permitemptypasswords: 'no',
  permitopen: 'any',
  permitrootlogin: 'prohibit-password',
  permittty: 'yes',
  permittunnel: 'no',
  permituserenvironment: 'no',
  permituserrc: 'yes',
  port: '22',
  printlastlog: 'yes',
  printmotd: 'yes',
  pubkeyauthentication: 'yes',
  rekeylimit: 'default none',
  strictmodes: 'yes',
  subsystem: null,
  syslogfacility: 'AUTH',
  tcpkeepalive: 'yes',
  usedns: 'no',
  // Upstream's default; Debian and Ubuntu ship `UsePAM yes` in the file, RHEL in a drop-in.
  usepam: 'no',
  x11forwarding: 'no',
  x11uselocalhost: 'yes',
};

/** Old spellings sshd still accepts for a value, mapped to the current one. */
const VALUE_ALIASES: Record<string, Record<string, string>> = {
  permitrootlogin: { 'without-password': 'prohibit-password' },
};

/** Keywords whose value is an algorithm list that may modify the default with +, - or ^. */
const ALGORITHM_LISTS = new Set(['ciphers', 'macs', 'kexalgorithms']);

/**
 * The effective value of a keyword: aliases resolved, and `+alg` / `-alg` / `^alg` applied to
 * the default list as sshd does (a `-` pattern may use `*` and `?` wildcards).
 */
export function effectiveSshdValue(keyword: string, raw: string): string {
  const alias = VALUE_ALIASES[keyword]?.[raw.toLowerCase()];
  if (alias) return alias;
  if (!ALGORITHM_LISTS.has(keyword) || !/^[+\-^]/.test(raw)) return raw;
  const base = (SSHD_DEFAULTS[keyword] ?? '').split(',');
  const items = raw.slice(1).split(',').filter(Boolean);
  if (raw[0] === '+') return [...base, ...items.filter((i) => !base.includes(i))].join(',');
  if (raw[0] === '^') return [...items, ...base.filter((b) => !items.includes(b))].join(',');
  const patterns = items.map(
    (p) =>
      new RegExp(
        `^${p
          .replace(/[.+()[\]{}|\\$]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      ),
  );
  return base.filter((b) => !patterns.some((re) => re.test(b))).join(',');
}
