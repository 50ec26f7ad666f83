/**
 * A small YAML emitter for remediation tasks (plain JSON values: maps, lists, scalars),
 * so an Ansible task reads as people paste it into a playbook. Strings that YAML would
 * read as something else are quoted as JSON, which is valid YAML.
 */
const PLAIN = /^[A-Za-z_/.][\w ./:@-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const s = String(value);
  if (PLAIN.test(s) && !RESERVED.test(s) && !s.endsWith(' ') && !s.includes(': ') && !s.includes(' #')) return s;
  return JSON.stringify(s);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function block(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`];
    return value.flatMap((item) => {
      const lines = block(item, `${indent}  `);
      const first = lines[0] ?? '';
      return [`${indent}- ${first.slice(indent.length + 2)}`, ...lines.slice(1)];
    });
  }
  if (isMap(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${indent}{}`];
    return entries.flatMap(([key, v]) => {
      const k = scalar(key);
      if (typeof v === 'string' && v.includes('\n')) {
        return [`${indent}${k}: |`, ...v.replace(/\n$/, '').split('\n').map((l) => `${indent}  ${l}`)];
      }
      if ((isMap(v) && Object.keys(v).length > 0) || (Array.isArray(v) && v.length > 0)) {
        return [`${indent}${k}:`, ...block(v, `${indent}  `)];
      }
      return [`${indent}${k}: ${isMap(v) ? '{}' : Array.isArray(v) ? '[]' : scalar(v)}`];
    });
  }
  return [`${indent}${scalar(value)}`];
}

/** An Ansible task (a map) becomes a one-item task list; anything else is emitted as is. */
export function toYaml(value: unknown): string {
  if (typeof value === 'string') return value;
  return `${block(isMap(value) ? [value] : value, '').join('\n')}\n`;
}
