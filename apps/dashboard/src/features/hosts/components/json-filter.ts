/**
 * Keeps the parts of a JSON value whose key path or leaf value contains `needle`
 * (lower-case). A matching object key keeps its whole subtree. Returns undefined when
 * nothing matches.
 */
export function filterJson(value: unknown, needle: string, keyMatched = false): unknown {
  if (keyMatched) return value;
  if (value === null || typeof value !== 'object') {
    return String(value).toLowerCase().includes(needle) ? value : undefined;
  }
  if (Array.isArray(value)) {
    // Array items keep their position so paths stay meaningful: use a sparse object.
    const out: Record<string, unknown> = {};
    value.forEach((item, i) => {
      const kept = filterJson(item, needle);
      if (kept !== undefined) out[`${i}`] = kept;
    });
    return Object.keys(out).length ? out : undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const kept = filterJson(child, needle, key.toLowerCase().includes(needle));
    if (kept !== undefined) out[key] = kept;
  }
  return Object.keys(out).length ? out : undefined;
}
