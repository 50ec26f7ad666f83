import { describe, expect, it } from 'vitest';
import { offsetParam } from './use-url-params';

describe('offsetParam', () => {
  it('reads a positive whole offset and takes anything else as the first page', () => {
    expect(offsetParam(new URLSearchParams('offset=50'))).toBe(50);
    expect(offsetParam(new URLSearchParams(''))).toBe(0);
    expect(offsetParam(new URLSearchParams('offset=-5'))).toBe(0);
    expect(offsetParam(new URLSearchParams('offset=abc'))).toBe(0);
  });
});
