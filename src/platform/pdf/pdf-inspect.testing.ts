import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Test-only helpers around poppler-utils. The product never shells out; tests read back what a
// person would see on paper.

const run = promisify(execFile);

async function withPdfFile<T>(pdf: Buffer, use: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'oroshi-pdf-'));
  try {
    const path = join(dir, 'document.pdf');
    await writeFile(path, pdf);
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The text of every page, as `pdftotext -layout` lays it out; pages are split on form feeds. */
export async function pdfPagesText(pdf: Buffer): Promise<string[]> {
  return withPdfFile(pdf, async (path) => {
    const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const pages = stdout.split('\f');
    if (pages.at(-1)?.trim() === '') pages.pop();
    return pages;
  });
}

export async function pdfText(pdf: Buffer): Promise<string> {
  return (await pdfPagesText(pdf)).join('\f');
}

export async function pdfInfo(pdf: Buffer): Promise<Record<string, string>> {
  return withPdfFile(pdf, async (path) => {
    const { stdout } = await run('pdfinfo', ['-enc', 'UTF-8', path]);
    const info: Record<string, string> = {};
    for (const line of stdout.split('\n')) {
      const match = /^([^:]+):\s*(.*)$/.exec(line);
      if (match?.[1] && match[2] !== undefined) info[match[1]] = match[2];
    }
    return info;
  });
}

/** Renders every page to `<outputPrefix>-<n>.png` at a low resolution, for looking at layouts. */
export async function pdfToPngs(pdf: Buffer, outputPrefix: string): Promise<void> {
  await withPdfFile(pdf, async (path) => {
    await run('pdftoppm', ['-png', '-r', '60', path, outputPrefix]);
  });
}

export async function pdfFontNames(pdf: Buffer): Promise<string[]> {
  return withPdfFile(pdf, async (path) => {
    const { stdout } = await run('pdffonts', [path]);
    return stdout
      .split('\n')
      .slice(2)
      .map((line) => line.split(/\s+/)[0] ?? '')
      .filter((name) => name !== '');
  });
}

/**
 * When PDF_PREVIEW_DIR is set, also writes the pages as PNGs there so a person can look at the
 * layout (`PDF_PREVIEW_DIR=.tmp npx vitest run src/domains/invoicing`). A no-op otherwise.
 */
export async function previewPdfIfRequested(pdf: Buffer, name: string): Promise<void> {
  const dir = process.env['PDF_PREVIEW_DIR'];
  if (dir) await pdfToPngs(pdf, join(dir, name));
}

/**
 * The first line containing `needle` and the `following` lines after it, joined by a space: a
 * table row whose cells wrap comes out of `pdftotext -layout` as its first line plus
 * continuation lines.
 */
export function textRow(text: string, needle: string, following = 1): string {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line.includes(needle));
  if (index < 0) return '';
  return lines
    .slice(index, index + following + 1)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
