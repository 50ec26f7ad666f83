import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { bundledContent, PROFILE_FILES, RULE_FILES } from './content';
import { loadContent, parseProfileFiles, parseRuleFiles } from './load';
import { RuleSchema } from './schema';
import { applyTailoring } from './tailoring';
import { ContentError, type LoadProblem } from './yaml-source';

/**
 * Rule, profile and tailoring files come from content authors and from users: whatever
 * they hold, loading yields content or a ContentError listing problems with file and
 * line, never another exception, and never a rule that skipped validation.
 * YAML aliases (`*name`) are left out here: an unresolved alias or an alias bomb still
 * escapes as a ReferenceError (see load.pending.ts), and random text hits one often.
 */

const RUNS = { numRuns: 200 };
const content = bundledContent();

/** Where YAML would read an alias: a `*` that starts a token. */
const noAlias = (t: string) => !/(^|[\s,[{:?-])\*/.test(t);

/** YAML-ish text: real syntax pieces, random scalars, and attacks on the parser itself. */
const yamlToken = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom(
    '\n',
    '\n  ',
    '\n- ',
    ': ',
    '- ',
    '{',
    '}',
    '[',
    ']',
    ',',
    '&a ',
    '!!str ',
    '!!binary ',
    '? ',
    '|',
    '>',
    '"',
    "'",
    '#',
    '---\n',
    '...\n',
    '%YAML 1.2\n',
    '\t',
    'rules:',
    'id:',
    'check:',
    'fact:',
    'path:',
    'op:',
    'extends:',
    'enabled:',
    'params:',
    'cis-l1-server',
    'plb-acct-pass-max-days',
    'null',
    '~',
    'true',
    '1e999',
    '0o17',
    '.nan',
  ),
);
const yamlText = fc
  .oneof(
    fc.array(yamlToken, { maxLength: 60 }).map((t) => t.join('')),
    fc.jsonValue().map((v) => stringify(v)),
    fc.string({ maxLength: 300 }),
    fc.constantFrom(
      `rules: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      'rules: !!js/function "function(){}"\n',
      'a: 1\na: 2\n',
      'rules:\n- &r {id: x}\n',
    ),
  )
  .filter(noAlias);

/** Real content with one value replaced or removed somewhere: the typos an author makes. */
function mutateYaml(text: string, at: number, insert: string, cut: number): string {
  const i = at % (text.length + 1);
  return text.slice(0, i) + insert + text.slice(i + (cut % 40));
}
const mutatedRuleFile = fc
  .tuple(fc.constantFrom(...RULE_FILES), fc.nat(), yamlToken, fc.nat())
  .map(([f, at, insert, cut]) => ({ path: f.path, text: mutateYaml(f.text, at, insert, cut) }))
  .filter((f) => noAlias(f.text));

const wellPlaced = (p: LoadProblem) => typeof p.file === 'string' && Number.isInteger(p.line) && p.line >= 1 && p.message.length > 0;

function expectContentOrContentError(load: () => unknown): void {
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(ContentError);
    expect((err as ContentError).problems.length).toBeGreaterThan(0);
    expect((err as ContentError).problems.every(wellPlaced)).toBe(true);
  }
}

// Each case parses whole rule files; on a busy 2-core runner 200 cases take far longer than
// vitest's default budget, which is about hangs, not speed.
describe('content loaders, property-based', { timeout: 180_000 }, () => {
  it('parseRuleFiles reports problems with a line for random YAML, and returns only valid rules', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            yamlText.map((text) => ({ path: 'random.yaml', text })),
            mutatedRuleFile,
          ),
          { minLength: 1, maxLength: 3 },
        ),
        (files) => {
          const { rules, problems } = parseRuleFiles(files);
          expect(problems.every(wellPlaced)).toBe(true);
          for (const r of rules) expect(RuleSchema.safeParse(r).success).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('loadContent throws only ContentError on random rule and profile files', () => {
    fc.assert(
      fc.property(yamlText, yamlText, (rules, profile) => {
        expectContentOrContentError(() => loadContent([{ path: 'r.yaml', text: rules }], [{ path: 'p.yaml', text: profile }]));
      }),
      RUNS,
    );
  });

  it('parseProfileFiles reports problems with a line for random or mutated profiles', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          yamlText,
          fc
            .tuple(fc.constantFrom(...PROFILE_FILES), fc.nat(), yamlToken, fc.nat())
            .map(([f, at, ins, cut]) => mutateYaml(f.text, at, ins, cut))
            .filter(noAlias),
        ),
        (text) => {
          const { problems } = parseProfileFiles([{ path: 'p.yaml', text }], content.byId);
          expect(problems.every(wellPlaced)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('applyTailoring yields a selection or a ContentError for random tailoring YAML', () => {
    const ruleIds = content.rules.slice(0, 20).map((r) => r.id);
    const tailoring = fc.record(
      {
        extends: fc.oneof(fc.constantFrom(...content.profiles.keys()), fc.string()),
        title: fc.string(),
        rules: fc.dictionary(
          fc.oneof(fc.constantFrom(...ruleIds), fc.string()),
          fc.record(
            { enabled: fc.oneof(fc.boolean(), fc.jsonValue()), params: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue()) },
            { requiredKeys: [] },
          ),
          { maxKeys: 4 },
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(yamlText, tailoring.map((t) => stringify(t)).filter(noAlias)), (text) => {
        let selection: ReturnType<typeof applyTailoring> | undefined;
        expectContentOrContentError(() => (selection = applyTailoring(content, 'tailoring.yaml', text)));
        if (selection) expect(selection.rules.every((r) => content.byId.get(r.id) === r)).toBe(true);
      }),
      RUNS,
    );
  });
});
