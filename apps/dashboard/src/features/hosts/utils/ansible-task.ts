import { stringify } from 'yaml';

/**
 * Ansible remediation as people paste it into a playbook: a task (a map) becomes a
 * one-item task list, a string is already YAML. Emitted as YAML 1.1, the dialect
 * Ansible reads, so strings such as "yes" or "0600" stay quoted strings there; long
 * lines are never folded, so shell snippets keep their shape.
 */
export function toAnsibleYaml(value: unknown): string {
  if (typeof value === 'string') return value;
  const isTask = typeof value === 'object' && value !== null && !Array.isArray(value);
  return stringify(isTask ? [value] : value, { version: '1.1', lineWidth: 0 });
}
