import { isCollection, isNode, LineCounter, parseDocument, type Document } from 'yaml';

/** A content file: its name (as shown in errors) and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

/** A problem found while loading content, always with the file and line it is about. */
export interface LoadProblem {
  file: string;
  line: number;
  message: string;
}

export const formatProblem = (p: LoadProblem) => `${p.file}:${p.line}: ${p.message}`;

export class ContentError extends Error {
  constructor(readonly problems: LoadProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ContentError';
  }
}

/** A parsed YAML file that can say on which line any value sits. */
export class YamlSource {
  readonly doc: Document;
  readonly value: unknown;
  readonly problems: LoadProblem[] = [];
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    for (const e of [...this.doc.errors, ...this.doc.warnings]) {
      this.problems.push({ file, line: e.linePos?.[0].line ?? 1, message: e.message.split('\n')[0] ?? e.message });
    }
    this.value = this.doc.errors.length ? undefined : this.toJS();
  }

  /** The yaml library reports unresolved aliases and alias bombs only here, by throwing. */
  private toJS(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      this.problems.push({ file: this.file, line: 1, message: (err as Error).message.split('\n')[0] ?? 'unreadable YAML' });
      return undefined;
    }
  }

  /** The line of the deepest node along `path` that exists (a missing key points at its parent). */
  lineOf(path: readonly (string | number)[]): number {
    let node: unknown = this.doc.contents;
    let line = this.nodeLine(node) ?? 1;
    for (const seg of path) {
      if (!isCollection(node)) break;
      const next = node.get(seg, true);
      if (next === undefined) {
        // A key with a null value: point at the key itself.
        const pair = (node.items as { key?: unknown }[]).find((it) => isNode(it.key) && (it.key as { value?: unknown }).value === seg);
        const l = pair ? this.nodeLine(pair.key) : undefined;
        return l ?? line;
      }
      node = next;
      line = this.nodeLine(node) ?? line;
    }
    return line;
  }

  problem(path: readonly (string | number)[], message: string): LoadProblem {
    return { file: this.file, line: this.lineOf(path), message };
  }

  private nodeLine(node: unknown): number | undefined {
    if (!isNode(node) || !node.range) return undefined;
    return this.lines.linePos(node.range[0]).line;
  }
}
