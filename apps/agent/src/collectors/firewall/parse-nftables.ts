import type { FirewallFact } from '@plumbline/protocol/facts';

type NftTable = FirewallFact['nftables']['tables'][number];
type NftChain = NftTable['chains'][number];

/** nft's tokens: words, quoted strings, `{ } ;`; a newline ends a statement like `;`; `#` starts a comment. */
export function tokenizeNft(text: string): string[] {
  const out: string[] = [];
  const src = text.replace(/\\\r?\n/g, ' ');
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '\n' || c === ';') {
      out.push(';');
      i++;
    } else if (c === '{' || c === '}') {
      out.push(c);
      i++;
    } else if (/\s/.test(c)) i++;
    else if (c === '"') {
      const end = src.indexOf('"', i + 1);
      const stop = end === -1 ? src.length : end + 1;
      out.push(src.slice(i, stop));
      i = stop;
    } else {
      let j = i;
      while (j < src.length && !/[\s{};#"]/.test(src[j] as string)) j++;
      out.push(src.slice(i, j));
      i = j;
    }
  }
  return out;
}

const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);

export interface NftParse {
  tables: NftTable[];
  includes: string[];
}

/**
 * The parts of an nftables ruleset file that policies depend on: tables, chains with their
 * type, hook and policy, and how many rules each chain holds. Both the block syntax
 * (`table inet filter { chain input { ... } }`) and `add table/chain/rule` commands are read.
 */
export function parseNftConf(text: string, into: NftTable[] = []): NftParse {
  const toks = tokenizeNft(text);
  const includes: string[] = [];
  let i = 0;
  const table = (family: string, name: string): NftTable => {
    let t = into.find((x) => x.family === family && x.name === name);
    if (!t) into.push((t = { family, name, chains: [] }));
    return t;
  };
  const chain = (t: NftTable, name: string): NftChain => {
    let c = t.chains.find((x) => x.name === name);
    if (!c) t.chains.push((c = { name, hook: null, type: null, policy: null, rules: 0 }));
    return c;
  };
  /** Words up to `;`, `{` or `}` (not consumed). */
  const head = (): string[] => {
    const words: string[] = [];
    while (i < toks.length && !['{', '}', ';'].includes(toks[i] as string)) words.push(toks[i++] as string);
    return words;
  };
  const skipBlock = () => {
    let depth = 0;
    do {
      if (toks[i] === '{') depth++;
      else if (toks[i] === '}') depth--;
      i++;
    } while (i < toks.length && depth > 0);
  };
  const famName = (words: string[]): [string, string[]] =>
    FAMILIES.has(words[0] ?? '') ? [words[0] as string, words.slice(1)] : ['ip', words];
  const chainBody = (c: NftChain) => {
    i++; // {
    for (;;) {
      const stmt: string[] = [];
      let depth = 0;
      while (i < toks.length) {
        const t = toks[i] as string;
        if (depth === 0 && (t === ';' || t === '}')) break;
        if (t === '{') depth++;
        if (t === '}') depth--;
        if (t !== ';') stmt.push(t);
        i++;
      }
      applyChainStatement(c, stmt);
      if (i >= toks.length || toks[i] === '}') {
        i++;
        return;
      }
      i++;
    }
  };
  const tableBody = (t: NftTable) => {
    i++; // {
    while (i < toks.length) {
      if (toks[i] === '}') {
        i++;
        return;
      }
      const words = head();
      if (toks[i] === '{') {
        if (words[0] === 'chain' && words[1]) chainBody(chain(t, words[1]));
        else skipBlock();
      } else if (toks[i] === ';') i++;
    }
  };
  while (i < toks.length) {
    const words = head();
    const [verb, kind] = words;
    if (toks[i] === '{') {
      if (verb === 'table' || ((verb === 'add' || verb === 'create') && kind === 'table')) {
        const [family, rest] = famName(words.slice(verb === 'table' ? 1 : 2));
        if (rest[0]) tableBody(table(family, rest[0]));
        else skipBlock();
      } else if ((verb === 'add' || verb === 'create') && kind === 'chain') {
        const [family, rest] = famName(words.slice(2));
        if (rest[0] && rest[1]) chainBody(chain(table(family, rest[0]), rest[1]));
        else skipBlock();
      } else skipBlock();
      continue;
    }
    if (toks[i] === ';' || toks[i] === '}') i++;
    if (verb === 'include' && kind) includes.push(kind.replace(/^"|"$/g, ''));
    else if ((verb === 'add' || verb === 'create') && kind === 'table') {
      const [family, rest] = famName(words.slice(2));
      if (rest[0]) table(family, rest[0]);
    } else if ((verb === 'add' || verb === 'create') && kind === 'chain') {
      const [family, rest] = famName(words.slice(2));
      if (rest[0] && rest[1]) chain(table(family, rest[0]), rest[1]);
    } else if ((verb === 'add' || verb === 'insert') && kind === 'rule') {
      const [family, rest] = famName(words.slice(2));
      if (rest[0] && rest[1]) chain(table(family, rest[0]), rest[1]).rules++;
    }
  }
  return { tables: into, includes };
}

function applyChainStatement(c: NftChain, stmt: string[]): void {
  if (stmt.length === 0 || stmt[0] === 'comment') return;
  if (stmt[0] === 'type') {
    c.type = stmt[1] ?? null;
    const h = stmt.indexOf('hook');
    c.hook = h === -1 ? null : (stmt[h + 1] ?? null);
    const p = stmt.indexOf('policy');
    if (p !== -1) c.policy = stmt[p + 1] ?? null;
  } else if (stmt[0] === 'policy') c.policy = (stmt[1] ?? '').replace(/;$/, '') || null;
  else c.rules++;
}

interface NftJsonItem {
  table?: { family: string; name: string };
  chain?: { family: string; table: string; name: string; type?: string; hook?: string; policy?: string };
  rule?: { family: string; table: string; chain: string };
}

/** `nft -j list ruleset`. */
export function parseNftJson(text: string): NftTable[] {
  const doc = JSON.parse(text) as { nftables?: NftJsonItem[] };
  const tables: NftTable[] = [];
  const find = (family: string, name: string) => tables.find((t) => t.family === family && t.name === name);
  for (const item of doc.nftables ?? []) {
    if (item.table) tables.push({ family: item.table.family, name: item.table.name, chains: [] });
    else if (item.chain) {
      const c = item.chain;
      find(c.family, c.table)?.chains.push({
        name: c.name,
        hook: c.hook ?? null,
        type: c.type ?? null,
        policy: c.policy ?? (c.hook ? 'accept' : null),
        rules: 0,
      });
    } else if (item.rule) {
      const r = item.rule;
      const ch = find(r.family, r.table)?.chains.find((x) => x.name === r.chain);
      if (ch) ch.rules++;
    }
  }
  return tables;
}

/**
 * The policy a packet meets at a hook: every filter base chain on it must accept, so one
 * `drop` policy drops. A base chain without a policy accepts; null when no chain hooks there.
 */
export function hookPolicy(tables: NftTable[], hook: string): string | null {
  const policies = tables
    .filter((t) => ['ip', 'ip6', 'inet'].includes(t.family))
    .flatMap((t) => t.chains.filter((c) => c.hook === hook && (c.type ?? 'filter') === 'filter'))
    .map((c) => c.policy ?? 'accept');
  if (policies.length === 0) return null;
  return policies.includes('drop') ? 'drop' : 'accept';
}

/** Sorted by family and name, chains by name, so the fact does not depend on file order. */
export function sortTables(tables: NftTable[]): NftTable[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return tables
    .map((t) => ({ ...t, chains: [...t.chains].sort((a, b) => cmp(a.name, b.name)) }))
    .sort((a, b) => cmp(a.family, b.family) || cmp(a.name, b.name));
}
