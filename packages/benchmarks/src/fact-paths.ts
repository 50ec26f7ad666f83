import type { z } from 'zod';
import type { Path } from './schema';

/** Minimal view of zod 4 internals: every schema carries its definition under `_zod.def`. */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Strip the wrappers that do not change the shape of the data. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 32; i++) {
    const d = defOf(s);
    if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(d.type) && d.innerType)
      s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else if (d.type === 'lazy' && d.getter) s = d.getter();
    else return s;
  }
  return s;
}

export const schemaType = (s: z.ZodType): string => defOf(unwrap(s)).type;

/** `a.b.c` or `[a, '/etc/passwd', mode]` -> segments. */
export function pathSegments(path: Path | undefined): (string | number)[] {
  if (path === undefined) return [];
  return typeof path === 'string' ? path.split('.') : path;
}

export type PathResolution = { ok: true; schema: z.ZodType } | { ok: false; message: string };

/**
 * Follow a field path through a schema: object fields must exist, records accept any key,
 * arrays accept an index. `$key` is the key of the record entry a list condition is visiting.
 */
export function resolveSchemaPath(root: z.ZodType, path: (string | number)[], where: string, recordKey = false): PathResolution {
  let s = root;
  const walked: string[] = [];
  for (const [i, seg] of path.entries()) {
    if (i === 0 && seg === '$key') {
      if (!recordKey) return { ok: false, message: `${where}: '$key' is only defined inside a list over a record` };
      if (path.length > 1) return { ok: false, message: `${where}: '$key' is a string and has no fields` };
      return { ok: true, schema: root };
    }
    const d = defOf(unwrap(s));
    if (d.type === 'object' && d.shape) {
      const next = typeof seg === 'string' ? d.shape[seg] : undefined;
      if (!next) {
        const known = Object.keys(d.shape).join(', ');
        return { ok: false, message: `${where}: no field '${seg}' at '${walked.join('.') || '(root)'}' (fields: ${known})` };
      }
      s = next;
    } else if (d.type === 'record' && d.valueType) {
      s = d.valueType;
    } else if (d.type === 'array' && d.element) {
      if (typeof seg !== 'number' && !/^\d+$/.test(String(seg))) {
        return { ok: false, message: `${where}: '${walked.join('.')}' is a list; use a list condition, not the field '${seg}'` };
      }
      s = d.element;
    } else {
      return { ok: false, message: `${where}: '${walked.join('.') || '(root)'}' is a ${d.type} and has no field '${seg}'` };
    }
    walked.push(String(seg));
  }
  return { ok: true, schema: s };
}

/** The element schema of a list path: an array's element or a record's value. */
export function listElement(schema: z.ZodType): { schema: z.ZodType; record: boolean } | undefined {
  const d = defOf(unwrap(schema));
  if (d.type === 'array' && d.element) return { schema: d.element, record: false };
  if (d.type === 'record' && d.valueType) return { schema: d.valueType, record: true };
  return undefined;
}
