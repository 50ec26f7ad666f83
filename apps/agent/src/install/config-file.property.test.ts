import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgentConfig, parseAgentConfig, renderAgentConfig } from './config-file';

/**
 * /etc/plumbline/agent.yaml is edited by hand: whatever it holds, parsing yields a config
 * valid by its own schema or a one-line reason naming the problem, never a throw.
 */

const RUNS = { numRuns: 250 };
const valid = { server: 'https://plumbline.example.com', token: 'ple_abc', interval: '30s' };

const yamlish = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc
    .array(
      fc.tuple(
        fc.constantFrom('server', 'token', 'state_dir', 'interval', 'ca', 'pin', '__proto__', 'extra', '<<', '? '),
        fc.string({ maxLength: 30 }),
      ),
      { maxLength: 8 },
    )
    .map((kv) => kv.map(([k, v]) => `${k}: ${v}`).join('\n')),
  fc.constantFrom('', '---', '[', '{', '*a', '&a [*a]', 'server: !!binary AAAA', 'a: &x {b: *x}', `x: ${'['.repeat(2_000)}`, '\0', '- - -'),
);

describe('parseAgentConfig, property-based', () => {
  it('never throws on random or adversarial YAML', () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        const result = parseAgentConfig(text);
        if (result.success) expect(AgentConfig.safeParse(result.data).success).toBe(true);
        else expect(result.error).toMatch(/\S/);
      }),
      RUNS,
    );
  });

  it('reads back what it writes, and names the field of each wrong value', () => {
    const parsed = parseAgentConfig(renderAgentConfig(AgentConfig.parse(valid)));
    expect(parsed.success).toBe(true);
    fc.assert(
      fc.property(
        fc.constantFrom('server', 'state_dir', 'interval', 'ca', 'pin'),
        fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null), fc.constant([])),
        (field, value) => {
          const result = parseAgentConfig(JSON.stringify({ ...valid, [field]: value }));
          if (!result.success) expect(result.error).toContain(field);
        },
      ),
      RUNS,
    );
  });
});
