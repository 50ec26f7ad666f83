// Unresolved aliases and alias bombs are load problems with file and line, never a crash.
import { describe, expect, it } from 'vitest';
import { bundledContent } from './content';
import { loadContent } from './load';
import { applyTailoring } from './tailoring';
import { ContentError } from './yaml-source';

const BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...'bcdef'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcde'[i]}`).join(',')}]`),
  'rules: [*f]',
].join('\n');

describe('content with YAML aliases', () => {
  for (const [what, text] of [
    ['an unresolved alias', 'rules:\n- <<: *nothing\n'],
    ['an alias bomb', BOMB],
  ]) {
    it(`refuses ${what} with a ContentError`, () => {
      expect(() => loadContent([{ path: 'r.yaml', text: text as string }], [])).toThrow(ContentError);
      expect(() => applyTailoring(bundledContent(), 't.yaml', `extends: cis-l1-server\n${text}`)).toThrow(ContentError);
    });
  }
});
