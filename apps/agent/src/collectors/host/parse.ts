/**
 * os-release(5) is a shell-compatible assignment list: values may be double-quoted (with
 * \\ \" \$ \` escapes), single-quoted (literal), or bare with backslash escapes.
 */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    out[m[1] as string] = unquoteShellWord(m[2] as string);
  }
  return out;
}

function unquoteShellWord(s: string): string {
  let out = '';
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (quote === "'") {
      if (c === "'") quote = null;
      else out += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < s.length && '\\"$`'.includes(s[i + 1] as string)) out += s[++i];
      else out += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '\\' && i + 1 < s.length) out += s[++i];
    else if (c === '#' || /\s/.test(c))
      break; // an unquoted word ends here, the rest is a comment
    else out += c;
  }
  return out;
}

/** hostname(5): the first line that is neither empty nor a comment. */
export function parseHostnameFile(text: string): string | null {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line !== '' && !line.startsWith('#')) return line;
  }
  return null;
}

/** uname -m names for ELF e_machine values we expect on servers and edge devices. */
const ELF_MACHINES: Record<number, string> = {
  0x03: 'i686',
  0x08: 'mips',
  0x14: 'ppc',
  0x15: 'ppc64',
  0x16: 's390x',
  0x28: 'armv7l',
  0x3e: 'x86_64',
  0xb7: 'aarch64',
  0xf3: 'riscv64',
  0x102: 'loongarch64',
};

/** Reads the architecture of a tree from its shell binary's ELF header (no execution). */
export function parseElfMachine(header: Buffer): string | null {
  if (header.length < 20 || header.readUInt32BE(0) !== 0x7f454c46) return null;
  const littleEndian = header[5] === 1;
  const machine = littleEndian ? header.readUInt16LE(18) : header.readUInt16BE(18);
  if (machine === 0x15 && littleEndian) return 'ppc64le';
  return ELF_MACHINES[machine] ?? null;
}

/** DMI vendor strings to systemd-detect-virt's names, for hosts without systemd. */
const DMI_VENDORS: [RegExp, string][] = [
  [/^QEMU/i, 'qemu'],
  [/^VMware/i, 'vmware'],
  [/^Microsoft Corporation/i, 'microsoft'],
  [/^innotek GmbH/i, 'oracle'],
  [/^Xen/i, 'xen'],
  [/^Amazon EC2/i, 'amazon'],
  [/^Google/i, 'google'],
  [/^Parallels/i, 'parallels'],
  [/^(Bochs|KVM)/i, 'kvm'],
];

export function virtualizationFromDmi(sysVendor: string): string | null {
  const v = sysVendor.trim();
  return DMI_VENDORS.find(([re]) => re.test(v))?.[1] ?? null;
}
