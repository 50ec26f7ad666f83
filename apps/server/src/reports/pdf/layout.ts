import type PDFDocument from 'pdfkit';

/**
 * A small layout engine over pdfkit for tagged, flowing reports. Text is wrapped here, not by
 * pdfkit, so that every row's height is known before it is drawn: a row moves to the next page
 * whole, nothing runs into the row below, and no line is wider than its cell (a token longer
 * than its cell is broken after `/`, `,`, `=`, `-`, ... where it can be, by character where it
 * cannot). Page breaks happen only between rows, outside marked content, so each page's
 * running header and footer are artifacts and every text run belongs to one structure element.
 */
export type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

export const PAGE = { width: 595.28, height: 841.89 };
export const MARGIN = 42;
export const WIDTH = PAGE.width - 2 * MARGIN;
const TOP = MARGIN;
const BOTTOM = PAGE.height - MARGIN;

/** The standard PDF fonts encode WinAnsi (Latin-1); other characters print as '?'. */
export const latin1 = (s: unknown) =>
  String(s ?? '')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[^\x20-\x7e\xa0-\xff]/g, '?');

export interface Font {
  font: 'Helvetica' | 'Helvetica-Bold' | 'Helvetica-Oblique';
  size: number;
  color?: string;
}
export const lineHeight = (f: Font) => Math.ceil(f.size * 1.2 * 10) / 10;

// After these a long token may be broken; before `(` and `[`.
const BREAK_AFTER = /[/,;:=&?|.\-_@)\]}]/;

function breakToken(doc: Doc, token: string, width: number): string[] {
  const out: string[] = [];
  let rest = token;
  while (rest.length && doc.widthOfString(rest) > width) {
    let fit = 1;
    while (fit < rest.length && doc.widthOfString(rest.slice(0, fit + 1)) <= width) fit++;
    let cut = fit;
    for (let i = fit; i > Math.max(1, fit / 3); i--) {
      if (BREAK_AFTER.test(rest[i - 1] as string) || rest[i] === '(' || rest[i] === '[') {
        cut = i;
        break;
      }
    }
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length) out.push(rest);
  return out;
}

/** The lines `text` takes in `width` points with `font`; `\n` forces a line. */
export function wrap(doc: Doc, text: string, width: number, font: Font): string[] {
  doc.font(font.font).fontSize(font.size);
  const lines: string[] = [];
  for (const para of text.replace(/\r\n?/g, '\n').split('\n').map(latin1)) {
    let line = '';
    for (const word of para.split(/ +/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (doc.widthOfString(candidate) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      const pieces = breakToken(doc, word, width);
      line = pieces.pop() ?? '';
      lines.push(...pieces);
    }
    lines.push(line);
  }
  return lines;
}

export interface Cell {
  text: string;
  font: Font;
  /** Draws a coloured badge behind the text (a status), as on the dashboard. */
  badge?: { bg: string };
  align?: 'left' | 'right';
}

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

const PAD = 1.8;
const HEAD_FONT: Font = { font: 'Helvetica-Bold', size: 7.5, color: '#1b2330' };

export class Layout {
  y = TOP;
  page = 0;
  readonly root: Struct;

  constructor(
    readonly doc: Doc,
    private readonly running: string,
  ) {
    this.root = doc.struct('Document');
    doc.addStructure(this.root);
  }

  /** A new page with its running header and page number, both artifacts. */
  newPage(): void {
    const doc = this.doc;
    doc.addPage();
    this.page++;
    this.artifact(() => {
      doc.font('Helvetica').fontSize(6.5).fillColor('#57606a');
      const head = wrap(doc, this.running, WIDTH - 60, { font: 'Helvetica', size: 6.5 })[0] ?? '';
      doc.text(head, MARGIN, 24, { lineBreak: false });
      const n = `page ${this.page}`;
      doc.text(n, PAGE.width - MARGIN - doc.widthOfString(n), PAGE.height - 30, { lineBreak: false });
    });
    this.y = TOP;
  }

  artifact(draw: () => void): void {
    this.doc.markContent('Artifact', { type: 'Pagination' });
    draw();
    this.doc.endMarkedContent();
  }

  /** Room for `h` more points on this page, or a new page. */
  ensure(h: number): void {
    if (this.y + h > BOTTOM) this.newPage();
  }

  get room(): number {
    return BOTTOM - this.y;
  }

  /** Draws lines of text at (x, y) inside the current marked content. */
  lines(lines: string[], x: number, y: number, font: Font, width?: number, align: 'left' | 'right' = 'left'): void {
    const doc = this.doc;
    doc
      .font(font.font)
      .fontSize(font.size)
      .fillColor(font.color ?? '#1b2330');
    lines.forEach((l, i) => {
      const dx = align === 'right' && width !== undefined ? width - doc.widthOfString(l) : 0;
      doc.text(l, x + dx, y + i * lineHeight(font), { lineBreak: false });
    });
  }

  /** A tagged block of wrapped text (P, H1, H2, ...), moved to the next page whole if it does not fit. */
  block(
    parent: Struct,
    type: string,
    text: string,
    font: Font,
    o: { x?: number; width?: number; gapAfter?: number; keepWith?: number } = {},
  ): void {
    const width = o.width ?? WIDTH;
    const ls = wrap(this.doc, text, width, font);
    const h = ls.length * lineHeight(font);
    this.ensure(h + (o.keepWith ?? 0));
    const y = this.y;
    parent.add(this.doc.struct(type, {}, () => this.lines(ls, o.x ?? MARGIN, y, font)));
    this.y += h + (o.gapAfter ?? 4);
  }

  /** A section heading, in the document outline too. */
  heading(parent: Struct, level: 1 | 2, text: string, outline?: PDFKit.PDFOutline): PDFKit.PDFOutline {
    const font: Font = level === 1 ? { font: 'Helvetica-Bold', size: 14 } : { font: 'Helvetica-Bold', size: 10.5 };
    this.y += level === 1 ? 6 : 4;
    this.block(parent, level === 1 ? 'H1' : 'H2', text, font, { gapAfter: level === 1 ? 6 : 4, keepWith: 40 });
    return (outline ?? this.doc.outline).addItem(latin1(text));
  }

  private rowHeight(cells: string[][], fonts: Font[]): number {
    return Math.max(...cells.map((ls, i) => ls.length * lineHeight(fonts[i] as Font))) + 2 * PAD;
  }

  private drawRow(tr: Struct, cols: Column[], cells: { lines: string[]; cell: Cell }[], cellType: 'TH' | 'TD', h: number): void {
    const doc = this.doc;
    const y = this.y;
    // Backgrounds and rules first, as artifacts: the text runs then stay whole in their cells.
    this.artifact(() => {
      let x = MARGIN;
      cells.forEach(({ lines, cell }, i) => {
        const w = (cols[i] as Column).width;
        if (cell.badge && lines.length) {
          doc.font(cell.font.font).fontSize(cell.font.size);
          const bw = Math.max(...lines.map((l) => doc.widthOfString(l))) + 5;
          doc.roundedRect(x + PAD - 2, y + PAD - 1, bw, lines.length * lineHeight(cell.font) + 1, 2).fill(cell.badge.bg);
        }
        x += w;
      });
      doc
        .moveTo(MARGIN, y + h)
        .lineTo(MARGIN + WIDTH, y + h)
        .lineWidth(0.4)
        .stroke(cellType === 'TH' ? '#afb8c1' : '#d0d7de');
    });
    let x = MARGIN;
    cells.forEach(({ lines, cell }, i) => {
      const col = cols[i] as Column;
      const cx = x;
      const badgeShift = cell.badge ? 0.5 : 0;
      // pdfkit writes `scope` as the TH's table attribute (O /Table, Scope); its typings omit it.
      const opts = (cellType === 'TH' ? { scope: 'Column' } : {}) as PDFKit.Mixins.StructureElementOptions;
      tr.add(
        doc.struct(cellType, opts, () =>
          this.lines(lines, cx + PAD + badgeShift, y + PAD, cell.font, col.width - 2 * PAD, cell.align ?? col.align),
        ),
      );
      x += col.width;
    });
  }

  /**
   * A table: each row as tall as its tallest wrapped cell, rows never split, the header row
   * repeated on every page the table continues on.
   */
  table(parent: Struct, cols: Column[], rows: Iterable<Cell[]>, o: { head?: boolean; placed?: (page: number) => void } = {}): void {
    const withHead = o.head ?? true;
    const table = this.doc.struct('Table');
    parent.add(table);
    const head = cols.map((c) => ({
      lines: wrap(this.doc, c.header, c.width - 2 * PAD, HEAD_FONT),
      cell: { text: c.header, font: HEAD_FONT, align: c.align },
    }));
    const headH = withHead
      ? this.rowHeight(
          head.map((c) => c.lines),
          head.map(() => HEAD_FONT),
        )
      : 0;
    const drawHead = () => {
      if (!withHead) return;
      const tr = this.doc.struct('TR');
      table.add(tr);
      this.drawRow(tr, cols, head, 'TH', headH);
      tr.end();
      this.y += headH;
    };
    let first = true;
    for (const row of rows) {
      const cells = row.map((c, i) => ({
        lines: c.text === '' ? [] : wrap(this.doc, c.text, (cols[i] as Column).width - 2 * PAD - (c.badge ? 2 : 0), c.font),
        cell: c,
      }));
      const h = this.rowHeight(
        cells.map((c) => c.lines),
        row.map((c) => c.font),
      );
      if (first || this.y + h > BOTTOM) {
        if (!first || this.y + headH + h > BOTTOM) this.newPage();
        drawHead();
        first = false;
      }
      const tr = this.doc.struct('TR');
      table.add(tr);
      this.drawRow(tr, cols, cells, 'TD', h);
      tr.end();
      this.y += h;
      o.placed?.(this.page);
    }
    if (first) drawHead();
    table.end();
    this.y += 8;
  }
}

export type { PDFDocument };
