import { expect, it } from 'vitest';

/** Registers one test per `[input, want]` row of a table, each asserting that `fn(input)` deep-equals `want`. */
export function cases<I, O>(fn: (input: I) => O, table: ReadonlyArray<readonly [I, O]>): void {
  it.each(table.map(([input, want]) => [input, want] as [I, O]))('%j -> %s', (input, want) => {
    expect(fn(input)).toEqual(want);
  });
}
