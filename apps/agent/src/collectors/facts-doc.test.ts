import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { factSchemas, FACT_NAMES } from '@plumbline/protocol/facts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../docs/facts.md');

/** The fields a user addresses first: an object's keys, or those of an array's or record's items. */
function topLevelFields(schema: z.ZodType): string[] {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodNullable || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else if (s instanceof z.ZodRecord) s = s.valueType as z.ZodType;
    else break;
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/** The text of the `## \`name\`` section, up to the next level-2 heading. */
function section(doc: string, name: string): string | null {
  const start = doc.indexOf(`\n## \`${name}\``);
  if (start === -1) return null;
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? undefined : end);
}

describe('docs/facts.md', () => {
  const doc = readFileSync(DOC, 'utf8');

  it.each(FACT_NAMES)('documents %s and every top-level field in a table', (name) => {
    const text = section(doc, name);
    expect(text, `no "## \`${name}\`" section`).not.toBeNull();
    const rows = (text ?? '').split('\n').filter((l) => l.startsWith('| `'));
    const documented = new Set(rows.map((r) => /^\| `([^`]+)`/.exec(r)?.[1]));
    const missing = topLevelFields(factSchemas[name]).filter((f) => !documented.has(f));
    expect(missing, `fields of ${name} missing from docs/facts.md`).toEqual([]);
  });

  it('finds fields in every kind of fact schema (so the check above can fail)', () => {
    expect(topLevelFields(factSchemas.listening_sockets)).toContain('port');
    expect(topLevelFields(factSchemas.files)).toContain('mode');
    expect(topLevelFields(factSchemas.host)).toContain('hostname');
    expect(section('\n## `a`\n| `x` |\n## `b`\n', 'a')).toBe('\n## `a`\n| `x` |');
  });
});
