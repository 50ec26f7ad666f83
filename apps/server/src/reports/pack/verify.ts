import { parseCheckpoint } from '../../audit/checkpoint';
import { entriesText, verifyChain, type ChainEntry, type ChainMark } from '../../audit/trail';
import { SIGNATURE_ALGORITHM } from '../../signing/key';
import type { TrustedKeys } from '../trust';
import { checkDigests, digestsOfBytes, signatureFromFile, UnreadableSignature, type DetachedSignature } from '../verify';
import { AuditSliceHeader, Manifest, PackedAuditEntry, PackPath, UNLISTED } from './format';

/**
 * Checking an evidence pack in one pass: the manifest's signature against a trusted key, then
 * every file against the manifest (nothing altered, added or removed), every report against
 * its signature, and the audit slice (each entry's hash and link, each checkpoint's signature
 * and its match with the chain, the last one sealing the slice's end). The first fault is
 * reported, naming its file.
 */
export type PackVerdict =
  | { ok: true; manifest: Manifest; keyFingerprint: string; files: number; reports: number; audit: string }
  | { ok: false; file: string; why: 'untrusted' | 'altered'; message: string };

const bad = (file: string, message: string, why: 'untrusted' | 'altered' = 'altered'): PackVerdict => ({ ok: false, file, why, message });

/** The manifest's signature as the pack carries it: for choosing a key only, never trusted itself. */
export function manifestSignature(files: Map<string, Buffer>): DetachedSignature | null {
  const sig = files.get(PackPath.manifestSig);
  if (!sig) return null;
  try {
    return signatureFromFile(sig.toString('utf8'), PackPath.manifestSig);
  } catch {
    return null;
  }
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

async function* sliceEntries(text: string, onBad: (line: number) => void): AsyncGenerator<ChainEntry> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!line) continue;
    const p = PackedAuditEntry.safeParse(parseJson(Buffer.from(line)));
    if (!p.success || Number.isNaN(new Date(p.data.at).getTime())) {
      onBad(i + 1);
      return;
    }
    const e = p.data;
    yield {
      seq: BigInt(e.seq),
      at: new Date(e.at),
      actor: e.actor,
      action: e.action,
      target: e.target,
      details: e.details ?? {},
      prevHash: e.prevHash,
      hash: e.hash,
    };
  }
}

export async function verifyPack(files: Map<string, Buffer>, trusted: TrustedKeys): Promise<PackVerdict> {
  // 1. The manifest, signed by a trusted key.
  const manifestBytes = files.get(PackPath.manifest);
  if (!manifestBytes) return bad(PackPath.manifest, `${PackPath.manifest} is missing: not an evidence pack, or altered`);
  const sigBytes = files.get(PackPath.manifestSig);
  if (!sigBytes) return bad(PackPath.manifestSig, `${PackPath.manifestSig} is missing: the manifest is unsigned`);
  let sig: DetachedSignature;
  try {
    sig = signatureFromFile(sigBytes.toString('utf8'), PackPath.manifestSig);
  } catch (err) {
    return bad(PackPath.manifestSig, err instanceof UnreadableSignature ? err.message : String(err));
  }
  if (sig.algorithm !== SIGNATURE_ALGORITHM)
    return bad(PackPath.manifestSig, `${PackPath.manifestSig}: unknown signature algorithm '${sig.algorithm}'`);
  const mv = checkDigests(PackPath.manifest, digestsOfBytes(manifestBytes), sig, trusted);
  if (!mv.ok) return bad(PackPath.manifest, mv.message, mv.why);
  const key = mv.key;
  const parsed = Manifest.safeParse(parseJson(manifestBytes));
  if (!parsed.success) return bad(PackPath.manifest, `${PackPath.manifest} is signed but not a pack manifest this version reads`);
  const manifest = parsed.data;

  // 2. Every file as listed: present, same size and hash; nothing more.
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    const bytes = files.get(f.path);
    if (!bytes) return bad(f.path, `${f.path} is missing from the pack (the manifest lists it)`);
    const d = digestsOfBytes(bytes);
    if (d.bytes !== f.bytes || d.sha256 !== f.sha256)
      return bad(
        f.path,
        `${f.path} was altered: ${d.bytes !== f.bytes ? `${d.bytes} bytes, the manifest says ${f.bytes}` : 'its SHA-256 differs from the manifest'}`,
      );
  }
  for (const name of [...files.keys()].sort()) {
    if (!listed.has(name) && !UNLISTED.has(name)) return bad(name, `${name} was added to the pack: the manifest does not list it`);
  }

  // 3. Every report against its own signature.
  for (const r of manifest.reports) {
    const bytes = files.get(r.path);
    const rsig = files.get(`${r.path}.sig`);
    if (!bytes || !rsig) return bad(r.path, `${r.path} or its signature is not in the pack`);
    let s: DetachedSignature;
    try {
      s = signatureFromFile(rsig.toString('utf8'), `${r.path}.sig`);
    } catch (err) {
      return bad(`${r.path}.sig`, err instanceof Error ? err.message : String(err));
    }
    const v = checkDigests(r.path, digestsOfBytes(bytes), s, trusted);
    if (!v.ok) return bad(r.path, v.message, v.why);
  }

  // 4. The audit slice: chained from its start, its checkpoints signed and matching, the last sealing its end.
  const slice = AuditSliceHeader.safeParse(parseJson(files.get(PackPath.auditSlice) ?? Buffer.alloc(0)));
  if (!slice.success) return bad(PackPath.auditSlice, `${PackPath.auditSlice} is missing or unreadable`);
  const marks: ChainMark[] = [];
  const cpText = (files.get(PackPath.auditCheckpoints) ?? Buffer.alloc(0)).toString('utf8');
  const cpLines = cpText.split('\n');
  for (let i = 0; i < cpLines.length; i++) {
    const line = cpLines[i] as string;
    if (!line.trim()) continue;
    const r = parseCheckpoint(line, key);
    if ('reason' in r) return bad(PackPath.auditCheckpoints, `${PackPath.auditCheckpoints}:${i + 1}: checkpoint refused: ${r.reason}`);
    marks.push(r.mark);
  }
  const h = slice.data;
  const empty = h.entriesBefore === 0 && h.entries === 0 && h.prevSeq === '0';
  if (!marks.length && !empty)
    return bad(PackPath.auditCheckpoints, `${PackPath.auditCheckpoints} holds no signed checkpoint: the audit slice is not sealed`);
  let badLine = 0;
  const result = await verifyChain(
    sliceEntries((files.get(PackPath.auditEntries) ?? Buffer.alloc(0)).toString('utf8'), (n) => (badLine = n)),
    marks,
    { prevHash: h.prevHash, seq: BigInt(h.prevSeq), entries: h.entriesBefore },
  );
  if (badLine) return bad(PackPath.auditEntries, `${PackPath.auditEntries}:${badLine} is not an audit entry`);
  if (!result.ok)
    return bad(PackPath.auditEntries, `${PackPath.auditEntries}: audit chain broken at entry #${result.seq}: ${result.reason}`);
  const checked = result.entries - h.entriesBefore;
  if (checked !== h.entries)
    return bad(PackPath.auditEntries, `${PackPath.auditEntries} holds ${entriesText(checked)}, ${PackPath.auditSlice} says ${h.entries}`);
  const endSeq = result.head ?? '0';
  const last = marks.reduce<ChainMark | null>((m, c) => (!m || c.seq > m.seq ? c : m), null);
  if (!empty && (!last || String(last.seq) !== endSeq || last.entries !== result.entries))
    return bad(
      PackPath.auditCheckpoints,
      `no signed checkpoint seals the end of the audit slice (#${endSeq}): entries may have been cut off`,
    );
  if (!empty && (h.sealedBy.seq !== String(last?.seq) || h.sealedBy.hash !== last?.hash))
    return bad(PackPath.auditSlice, `${PackPath.auditSlice} names another sealing checkpoint than the pack holds`);

  return {
    ok: true,
    manifest,
    keyFingerprint: key.fingerprint,
    files: manifest.files.length,
    reports: manifest.reports.length,
    audit: `${entriesText(h.entries)} after #${h.prevSeq}, ${marks.length} signed checkpoint(s)`,
  };
}
