import { describe, expect, it } from 'vitest';
import { parseTags, tagsProblem } from './tags';

describe('parseTags', () => {
  it.each([
    ['', []],
    ['web', ['web']],
    ['web, pci  edge,,web', ['edge', 'pci', 'web']],
    ['  a\tb\n', ['a', 'b']],
  ])('%j', (text, tags) => {
    expect(parseTags(text)).toEqual(tags);
  });
});

describe('tagsProblem', () => {
  it('accepts what the API accepts', () => {
    expect(tagsProblem(['a'.repeat(64)])).toBeNull();
    expect(tagsProblem(Array.from({ length: 50 }, (_, i) => `t${i}`))).toBeNull();
  });
  it('names what the API would refuse', () => {
    expect(tagsProblem(Array.from({ length: 51 }, (_, i) => `t${i}`))).toBe('At most 50 tags (51 given).');
    expect(tagsProblem(['x'.repeat(65)])).toMatch(/longer than 64/);
  });
});
