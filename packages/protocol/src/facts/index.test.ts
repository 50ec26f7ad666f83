import { describe, expect, it } from 'vitest';
import { FACT_NAMES } from './index';

describe('fact names', () => {
  it('are snake_case and never the reserved word errors (the facts command prints errors beside them)', () => {
    for (const name of FACT_NAMES) expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(FACT_NAMES).not.toContain('errors');
  });
});
