import { execFileSync } from 'node:child_process';

/**
 * A PDF as a reader sees it: poppler's `pdftotext -bbox-layout` gives every word's box on every
 * page. Two words overlapping (more than a fifth of the smaller box) or a word outside the
 * content area is a layout fault: text running into the next row or past the margin.
 */
export interface Word {
  page: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}
export interface Page {
  width: number;
  height: number;
  words: Word[];
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

export function pdfWords(file: string): Page[] {
  const html = execFileSync('pdftotext', ['-bbox-layout', file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const pages: Page[] = [];
  for (const m of html.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
    const n = pages.length + 1;
    const words = [
      ...(m[3] as string).matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)<\/word>/g),
    ].map((w) => ({
      page: n,
      x0: Number(w[1]),
      y0: Number(w[2]),
      x1: Number(w[3]),
      y1: Number(w[4]),
      text: unescape(w[5] as string),
    }));
    pages.push({ width: Number(m[1]), height: Number(m[2]), words });
  }
  return pages;
}

export interface LayoutFaults {
  overlaps: string[];
  outside: string[];
}

/** Overlapping words and words outside [margin.x, width - margin.x] x [margin.y, height - margin.y]. */
export function layoutFaults(pages: Page[], margin: { x: number; y: number }): LayoutFaults {
  const overlaps: string[] = [];
  const outside: string[] = [];
  for (const [i, p] of pages.entries()) {
    for (const w of p.words) {
      if (w.x0 < margin.x - 0.5 || w.x1 > p.width - margin.x + 0.5 || w.y0 < margin.y - 0.5 || w.y1 > p.height - margin.y + 0.5) {
        outside.push(`page ${i + 1}: '${w.text}' at x ${w.x0.toFixed(1)}-${w.x1.toFixed(1)}, y ${w.y0.toFixed(1)}-${w.y1.toFixed(1)}`);
      }
    }
    const boxes = [...p.words].sort((a, b) => a.y0 - b.y0);
    const area = (w: Word) => (w.x1 - w.x0) * (w.y1 - w.y0);
    for (let a = 0; a < boxes.length; a++) {
      const A = boxes[a] as Word;
      for (let b = a + 1; b < boxes.length; b++) {
        const B = boxes[b] as Word;
        if (B.y0 >= A.y1) break;
        const ix = Math.min(A.x1, B.x1) - Math.max(A.x0, B.x0);
        const iy = Math.min(A.y1, B.y1) - Math.max(A.y0, B.y0);
        if (ix > 1 && iy > 1 && ix * iy > 0.2 * Math.min(area(A), area(B)))
          overlaps.push(`page ${i + 1}: '${A.text}' overlaps '${B.text}'`);
      }
    }
  }
  return { overlaps, outside };
}
