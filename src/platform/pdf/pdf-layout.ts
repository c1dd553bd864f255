import { JP_FONT, JP_FONT_BOLD, type PdfDoc } from './pdf-document.ts';

// Shared drawing for every printed document, so invoices, statements and slips look alike and
// no document carries its own table or address code. Everything is monochrome-safe: salons print
// these on office laser printers.

export const PDF_COLORS = {
  text: '#1a1a1a',
  muted: '#555555',
  rule: '#8c8c8c',
  headerFill: '#e6e6e6',
  labelFill: '#f2f2f2',
  zebraFill: '#fafafa',
} as const;

const CELL_PADDING_X = 4;
const CELL_PADDING_Y = 3;
const TABLE_FONT_SIZE = 8.5;
const GAP = 10;

type Align = 'left' | 'center' | 'right';

export interface ContentBox {
  left: number;
  right: number;
  width: number;
  top: number;
  bottom: number;
}

export function contentBox(doc: PdfDoc): ContentBox {
  const { width, height, margins } = doc.page;
  return {
    left: margins.left,
    right: width - margins.right,
    width: width - margins.left - margins.right,
    top: margins.top,
    bottom: height - margins.bottom,
  };
}

/** Starts a new page when fewer than `height` points remain above the bottom margin. */
export function ensureSpace(doc: PdfDoc, height: number): void {
  if (doc.y + height > contentBox(doc).bottom) doc.addPage();
}

function resetCursor(doc: PdfDoc, y: number): void {
  doc.x = contentBox(doc).left;
  doc.y = y;
}

/**
 * Prints `text` at the top of every page added from now on (a table running over, a totals box
 * pushed down), so a loose second sheet still says which document it belongs to.
 */
export function startRunningHeader(doc: PdfDoc, text: string): void {
  doc.on('pageAdded', () => {
    const box = contentBox(doc);
    doc.font(JP_FONT).fontSize(8).fillColor(PDF_COLORS.muted);
    doc.text(text, box.left, box.top, { width: box.width, align: 'left', lineBreak: false });
    doc
      .moveTo(box.left, box.top + 14)
      .lineTo(box.right, box.top + 14)
      .lineWidth(0.5)
      .strokeColor(PDF_COLORS.rule)
      .stroke();
    doc.fillColor(PDF_COLORS.text);
    resetCursor(doc, box.top + 22);
  });
}

/** Writes "1 / 3" (and an optional left-hand label) in the footer of every buffered page. */
export function drawPageFooters(doc: PdfDoc, options: { label?: string } = {}): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const box = contentBox(doc);
    const y = doc.page.height - doc.page.margins.bottom + 18;
    // Text below the bottom margin would make pdfkit open a new page; lift the margin meanwhile.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(JP_FONT).fontSize(8).fillColor(PDF_COLORS.muted);
    doc.text(`${index + 1} / ${range.count}`, box.left, y, {
      width: box.width,
      align: 'center',
      lineBreak: false,
    });
    if (options.label) {
      doc.text(options.label, box.left, y, { width: box.width / 3, align: 'left', lineBreak: false });
    }
    doc.page.margins.bottom = bottomMargin;
    doc.fillColor(PDF_COLORS.text);
  }
}

export interface TitleBlock {
  title: string;
  subtitle?: string;
  /** Label/value pairs shown right-aligned under the title: 請求書番号, 発行日… */
  meta: ReadonlyArray<readonly [string, string]>;
}

export function drawTitleBlock(doc: PdfDoc, block: TitleBlock): void {
  const box = contentBox(doc);
  let y = doc.y;
  doc.font(JP_FONT_BOLD).fontSize(20).fillColor(PDF_COLORS.text);
  doc.text(block.title, box.left, y, { width: box.width, align: 'center', characterSpacing: 6 });
  y = doc.y;
  if (block.subtitle) {
    doc.font(JP_FONT).fontSize(10);
    doc.text(block.subtitle, box.left, y, { width: box.width, align: 'center' });
    y = doc.y;
  }
  const ruleWidth = 200;
  const ruleLeft = box.left + (box.width - ruleWidth) / 2;
  doc.lineWidth(0.8).strokeColor(PDF_COLORS.text);
  doc.moveTo(ruleLeft, y + 2).lineTo(ruleLeft + ruleWidth, y + 2).stroke();
  doc.moveTo(ruleLeft, y + 4.5).lineTo(ruleLeft + ruleWidth, y + 4.5).stroke();
  y += 12;

  const labelWidth = 70;
  const valueWidth = 130;
  const labelX = box.right - labelWidth - valueWidth;
  doc.fontSize(9);
  for (const [label, value] of block.meta) {
    doc.font(JP_FONT).fillColor(PDF_COLORS.muted);
    doc.text(label, labelX, y, { width: labelWidth, align: 'left' });
    doc.font(JP_FONT).fillColor(PDF_COLORS.text);
    doc.text(value, labelX + labelWidth, y, { width: valueWidth, align: 'right' });
    y = doc.y + 1;
  }
  resetCursor(doc, y + GAP);
}

export type Honorific = '御中' | '様';

/** Who the document is addressed to (宛名). Companies take 御中, people take 様. */
export interface PdfRecipient {
  name: string;
  honorific: Honorific;
  postalCode?: string;
  addressLines?: string[];
  /** A named person at a company, printed as "ご担当: 𠮷田 様". */
  contactName?: string;
}

/** The company issuing the document. */
export interface PdfIssuer {
  name: string;
  postalCode?: string;
  addressLines: string[];
  phone?: string;
  email?: string;
  /** 適格請求書発行事業者登録番号, "T" + 13 digits. Required on invoices, optional elsewhere. */
  registrationNumber?: string;
}

export function formatPostalCode(postalCode: string): string {
  return postalCode.startsWith('〒') ? postalCode : `〒${postalCode}`;
}

/**
 * Recipient on the left (name large, underlined, with 御中/様), issuer on the right. An optional
 * lead sentence ("下記のとおりご請求申し上げます。") sits under the recipient.
 */
export function drawAddressBlock(
  doc: PdfDoc,
  block: { recipient: PdfRecipient; issuer: PdfIssuer; recipientCaption?: string; lead?: string },
): void {
  const box = contentBox(doc);
  const top = doc.y;
  const leftWidth = box.width * 0.55;
  const rightX = box.left + box.width * 0.6;
  const rightWidth = box.right - rightX;

  let y = top;
  const { recipient } = block;
  doc.fillColor(PDF_COLORS.text);
  if (block.recipientCaption) {
    doc.font(JP_FONT).fontSize(8).fillColor(PDF_COLORS.muted);
    doc.text(block.recipientCaption, box.left, y, { width: leftWidth });
    doc.fillColor(PDF_COLORS.text);
    y = doc.y;
  }
  doc.font(JP_FONT).fontSize(9);
  if (recipient.postalCode) {
    doc.text(formatPostalCode(recipient.postalCode), box.left, y, { width: leftWidth });
    y = doc.y;
  }
  for (const line of recipient.addressLines ?? []) {
    doc.text(line, box.left, y, { width: leftWidth });
    y = doc.y;
  }
  y += 4;
  const honorificWidth = 36;
  doc.font(JP_FONT_BOLD).fontSize(14);
  doc.text(recipient.name, box.left, y, { width: leftWidth - honorificWidth });
  const nameBottom = doc.y;
  // Sit the smaller 御中/様 on the baseline of the name's last line.
  const lastLineTop = nameBottom - doc.currentLineHeight(true);
  doc.font(JP_FONT).fontSize(12);
  doc.text(recipient.honorific, box.left + leftWidth - honorificWidth, lastLineTop + 2.3, {
    width: honorificWidth,
    align: 'right',
  });
  y = nameBottom + 2;
  doc.lineWidth(0.8).strokeColor(PDF_COLORS.text);
  doc.moveTo(box.left, y).lineTo(box.left + leftWidth, y).stroke();
  y += 4;
  if (recipient.contactName) {
    doc.font(JP_FONT).fontSize(9);
    doc.text(`ご担当: ${recipient.contactName} 様`, box.left, y, { width: leftWidth });
    y = doc.y;
  }
  if (block.lead) {
    doc.font(JP_FONT).fontSize(9);
    doc.text(block.lead, box.left, y + 6, { width: leftWidth });
    y = doc.y;
  }
  const leftBottom = y;

  const { issuer } = block;
  y = top;
  doc.font(JP_FONT_BOLD).fontSize(11);
  doc.text(issuer.name, rightX, y, { width: rightWidth });
  y = doc.y + 2;
  doc.font(JP_FONT).fontSize(8.5);
  const issuerLines = [
    ...(issuer.postalCode ? [formatPostalCode(issuer.postalCode)] : []),
    ...issuer.addressLines,
    ...(issuer.phone ? [`TEL ${issuer.phone}`] : []),
    ...(issuer.email ? [issuer.email] : []),
  ];
  for (const line of issuerLines) {
    doc.text(line, rightX, y, { width: rightWidth });
    y = doc.y;
  }
  if (issuer.registrationNumber) {
    doc.font(JP_FONT_BOLD).fontSize(8.5);
    doc.text(`登録番号: ${issuer.registrationNumber}`, rightX, y + 2, { width: rightWidth });
    y = doc.y;
  }
  resetCursor(doc, Math.max(leftBottom, y) + GAP + 4);
}

/** A framed headline figure: "ご請求金額  ¥123,456（税込）". */
export function drawAmountBanner(
  doc: PdfDoc,
  banner: { label: string; amount: string; note?: string; width?: number },
): void {
  const box = contentBox(doc);
  const width = banner.width ?? box.width * 0.55;
  const height = 30;
  ensureSpace(doc, height + GAP);
  const y = doc.y;
  doc.rect(box.left, y, width, height).fillAndStroke(PDF_COLORS.labelFill, PDF_COLORS.text);
  doc.fillColor(PDF_COLORS.text);
  doc.font(JP_FONT_BOLD).fontSize(11);
  doc.text(banner.label, box.left + 10, y + 8, { width: width * 0.4, lineBreak: false });
  const noteWidth = banner.note ? 44 : 0;
  doc.font(JP_FONT_BOLD).fontSize(16);
  doc.text(banner.amount, box.left + width * 0.35, y + 4, {
    width: width * 0.65 - noteWidth - 10,
    align: 'right',
    lineBreak: false,
  });
  if (banner.note) {
    doc.font(JP_FONT).fontSize(8.5);
    doc.text(banner.note, box.left + width - noteWidth - 6, y + 11, {
      width: noteWidth,
      align: 'right',
      lineBreak: false,
    });
  }
  resetCursor(doc, y + height + GAP);
}

/** Label/value pairs laid out in a bordered grid (取引年月日, お支払期限, 発注番号…). */
export function drawInfoGrid(
  doc: PdfDoc,
  items: ReadonlyArray<readonly [string, string]>,
  options: { columns?: 1 | 2 } = {},
): void {
  if (items.length === 0) return;
  const columns = options.columns ?? 2;
  const box = contentBox(doc);
  const pairWidth = box.width / columns;
  const labelWidth = Math.min(90, pairWidth * 0.35);
  const widths: number[] = [];
  for (let c = 0; c < columns; c++) widths.push(labelWidth, pairWidth - labelWidth);
  const fills: Array<string | undefined> = widths.map((_, i) => (i % 2 === 0 ? PDF_COLORS.labelFill : undefined));
  for (let i = 0; i < items.length; i += columns) {
    const cells: string[] = [];
    for (let c = 0; c < columns; c++) {
      const item = items[i + c];
      cells.push(item?.[0] ?? '', item?.[1] ?? '');
    }
    const layout: RowLayout = { x: box.left, widths, aligns: widths.map(() => 'left') };
    const height = measureRow(doc, layout, cells, { fontSize: 9 });
    ensureSpace(doc, height);
    drawRowAndAdvance(doc, layout, height, cells, { fontSize: 9, fills });
  }
  resetCursor(doc, doc.y + GAP);
}

export function drawSectionHeading(doc: PdfDoc, text: string): void {
  ensureSpace(doc, 40);
  const box = contentBox(doc);
  const y = doc.y;
  doc.rect(box.left, y + 2, 3, 11).fill(PDF_COLORS.text);
  doc.font(JP_FONT_BOLD).fontSize(10).fillColor(PDF_COLORS.text);
  doc.text(text, box.left + 8, y, { width: box.width - 8 });
  resetCursor(doc, doc.y + 3);
}

/** A bordered box with a caption, for 備考 and お振込先. Lines wrap inside the box. */
export function drawNoteBox(doc: PdfDoc, caption: string, lines: readonly string[]): void {
  if (lines.length === 0) return;
  const box = contentBox(doc);
  const text = lines.join('\n');
  const innerWidth = box.width - 2 * 8;
  doc.font(JP_FONT).fontSize(9);
  const textHeight = doc.heightOfString(text, { width: innerWidth });
  const height = textHeight + 26;
  ensureSpace(doc, height + GAP);
  const y = doc.y;
  doc.lineWidth(0.6).strokeColor(PDF_COLORS.rule).rect(box.left, y, box.width, height).stroke();
  doc.font(JP_FONT_BOLD).fontSize(9).fillColor(PDF_COLORS.text);
  doc.text(caption, box.left + 8, y + 5, { width: innerWidth });
  doc.font(JP_FONT).fontSize(9);
  doc.text(text, box.left + 8, y + 19, { width: innerWidth });
  resetCursor(doc, y + height + GAP);
}

export function drawParagraph(doc: PdfDoc, text: string, options: { fontSize?: number; muted?: boolean } = {}): void {
  const box = contentBox(doc);
  doc.font(JP_FONT).fontSize(options.fontSize ?? 8.5);
  doc.fillColor(options.muted ? PDF_COLORS.muted : PDF_COLORS.text);
  ensureSpace(doc, doc.heightOfString(text, { width: box.width }));
  doc.text(text, box.left, doc.y, { width: box.width });
  doc.fillColor(PDF_COLORS.text);
  resetCursor(doc, doc.y + 4);
}

// ---------------------------------------------------------------------------------------------
// Tables

export interface TableColumn {
  header: string;
  /** Relative weight; the widths are scaled to fill the table. */
  width: number;
  align?: Align;
  /** Draws an empty tick box (for pickers) instead of the cell text. */
  checkbox?: boolean;
}

export interface TableRow {
  cells: readonly string[];
  bold?: boolean;
  fill?: string;
}

export interface TableOptions {
  columns: readonly TableColumn[];
  rows: readonly TableRow[];
  fontSize?: number;
  /** Shade every other row, which helps the eye follow long lists. */
  zebra?: boolean;
}

interface RowLayout {
  x: number;
  widths: readonly number[];
  aligns: readonly Align[];
  checkboxes?: readonly boolean[];
}

interface RowStyle {
  fontSize: number;
  bold?: boolean;
  fill?: string;
  fills?: ReadonlyArray<string | undefined>;
}

function measureRow(doc: PdfDoc, layout: RowLayout, cells: readonly string[], style: RowStyle): number {
  doc.font(style.bold ? JP_FONT_BOLD : JP_FONT).fontSize(style.fontSize);
  let tallest = doc.currentLineHeight(true);
  layout.widths.forEach((width, i) => {
    const text = cells[i] ?? '';
    if (text && !layout.checkboxes?.[i]) {
      tallest = Math.max(tallest, doc.heightOfString(text, { width: width - 2 * CELL_PADDING_X }));
    }
  });
  return tallest + 2 * CELL_PADDING_Y;
}

function drawRow(
  doc: PdfDoc,
  layout: RowLayout,
  y: number,
  height: number,
  cells: readonly string[],
  style: RowStyle,
): void {
  let x = layout.x;
  const totalWidth = layout.widths.reduce((sum, w) => sum + w, 0);
  if (style.fill) doc.rect(x, y, totalWidth, height).fill(style.fill);
  layout.widths.forEach((width, i) => {
    const fill = style.fills?.[i];
    if (fill) doc.rect(x, y, width, height).fill(fill);
    x += width;
  });

  doc.lineWidth(0.5).strokeColor(PDF_COLORS.rule);
  doc.rect(layout.x, y, totalWidth, height).stroke();
  x = layout.x;
  for (const width of layout.widths.slice(0, -1)) {
    x += width;
    doc.moveTo(x, y).lineTo(x, y + height).stroke();
  }

  doc.font(style.bold ? JP_FONT_BOLD : JP_FONT).fontSize(style.fontSize).fillColor(PDF_COLORS.text);
  x = layout.x;
  layout.widths.forEach((width, i) => {
    if (layout.checkboxes?.[i]) {
      const size = 9;
      doc.lineWidth(0.8).strokeColor(PDF_COLORS.text);
      doc.rect(x + (width - size) / 2, y + (height - size) / 2, size, size).stroke();
    } else {
      // Top-aligned: the first line of every cell shares one baseline, so a wrapped row still
      // reads left to right (and extracts as one line of text).
      doc.text(cells[i] ?? '', x + CELL_PADDING_X, y + CELL_PADDING_Y, {
        width: width - 2 * CELL_PADDING_X,
        align: layout.aligns[i] ?? 'left',
      });
    }
    x += width;
  });
}

/** Draws a row at the cursor and moves the cursor to the row's bottom edge. */
function drawRowAndAdvance(
  doc: PdfDoc,
  layout: RowLayout,
  height: number,
  cells: readonly string[],
  style: RowStyle,
): void {
  const top = doc.y;
  drawRow(doc, layout, top, height, cells, style);
  resetCursor(doc, top + height);
}

function scaleWidths(columns: readonly { width: number }[], total: number): number[] {
  const weight = columns.reduce((sum, c) => sum + c.width, 0);
  return columns.map((c) => (c.width / weight) * total);
}

/**
 * A gridded table across the content width. Cells wrap; a row that does not fit starts a new
 * page and the header row is drawn again there.
 */
export function drawTable(doc: PdfDoc, table: TableOptions): void {
  const box = contentBox(doc);
  const fontSize = table.fontSize ?? TABLE_FONT_SIZE;
  const layout: RowLayout = {
    x: box.left,
    widths: scaleWidths(table.columns, box.width),
    aligns: table.columns.map((c) => c.align ?? 'left'),
    checkboxes: table.columns.map((c) => c.checkbox === true),
  };
  const headerLayout: RowLayout = { ...layout, aligns: table.columns.map(() => 'center'), checkboxes: [] };
  const headerCells = table.columns.map((c) => c.header);
  const headerStyle: RowStyle = { fontSize, bold: true, fill: PDF_COLORS.headerFill };
  const headerHeight = measureRow(doc, headerLayout, headerCells, headerStyle);

  const drawHeader = () => drawRowAndAdvance(doc, headerLayout, headerHeight, headerCells, headerStyle);

  const firstRow = table.rows[0];
  const firstRowHeight = firstRow ? measureRow(doc, layout, firstRow.cells, { fontSize }) : 0;
  ensureSpace(doc, headerHeight + firstRowHeight);
  drawHeader();

  table.rows.forEach((row, index) => {
    const style: RowStyle = {
      fontSize,
      bold: row.bold,
      fill: row.fill ?? (table.zebra && index % 2 === 1 ? PDF_COLORS.zebraFill : undefined),
    };
    const height = measureRow(doc, layout, row.cells, style);
    if (doc.y + height > contentBox(doc).bottom) {
      doc.addPage();
      drawHeader();
    }
    drawRowAndAdvance(doc, layout, height, row.cells, style);
  });
  resetCursor(doc, doc.y + GAP);
}

export interface TotalsRow {
  label: string;
  values: readonly string[];
  strong?: boolean;
}

export interface TotalsBox {
  rows: readonly TotalsRow[];
  /** Column captions above the values (e.g. 税抜金額 / 消費税額). */
  captions?: readonly string[];
  width?: number;
  labelWidth?: number;
}

interface PlannedRow {
  cells: string[];
  style: RowStyle;
  layout: RowLayout;
  height: number;
}

function planTotalsBox(doc: PdfDoc, totals: TotalsBox, side: 'left' | 'right'): { rows: PlannedRow[]; height: number } {
  const box = contentBox(doc);
  const valueCount = Math.max(...totals.rows.map((r) => r.values.length), totals.captions?.length ?? 0);
  const width = totals.width ?? Math.min(box.width, 150 + valueCount * 95);
  const labelWidth = totals.labelWidth ?? width * 0.45;
  const valueWidth = (width - labelWidth) / valueCount;
  const widths = [labelWidth, ...Array.from({ length: valueCount }, () => valueWidth)];
  const layout: RowLayout = {
    x: side === 'right' ? box.right - width : box.left,
    widths,
    aligns: ['left', ...Array.from({ length: valueCount }, (): Align => 'right')],
  };
  const fills = [PDF_COLORS.labelFill];

  const rows: Array<Omit<PlannedRow, 'height'>> = [];
  if (totals.captions) {
    rows.push({
      cells: ['', ...totals.captions],
      style: { fontSize: TABLE_FONT_SIZE, bold: true, fill: PDF_COLORS.headerFill },
      layout: { ...layout, aligns: widths.map((): Align => 'center') },
    });
  }
  for (const row of totals.rows) {
    rows.push({
      cells: [row.label, ...row.values],
      style: { fontSize: row.strong ? 10 : 9, bold: row.strong, fills },
      layout,
    });
  }
  const planned = rows.map((row) => ({ ...row, height: measureRow(doc, row.layout, row.cells, row.style) }));
  return { rows: planned, height: planned.reduce((sum, row) => sum + row.height, 0) };
}

function drawPlannedRows(doc: PdfDoc, rows: readonly PlannedRow[], top: number): void {
  resetCursor(doc, top);
  for (const row of rows) drawRowAndAdvance(doc, row.layout, row.height, row.cells, row.style);
}

/** A right-aligned box of totals: a shaded label column and right-aligned amount columns. */
export function drawTotalsBox(doc: PdfDoc, totals: TotalsBox): void {
  const plan = planTotalsBox(doc, totals, 'right');
  ensureSpace(doc, plan.height);
  drawPlannedRows(doc, plan.rows, doc.y);
  resetCursor(doc, doc.y + GAP);
}

/** Two totals boxes side by side, top-aligned: one at the left margin, one at the right. */
export function drawTotalsBoxPair(doc: PdfDoc, left: TotalsBox, right: TotalsBox): void {
  const leftPlan = planTotalsBox(doc, left, 'left');
  const rightPlan = planTotalsBox(doc, right, 'right');
  ensureSpace(doc, Math.max(leftPlan.height, rightPlan.height));
  const top = doc.y;
  drawPlannedRows(doc, leftPlan.rows, top);
  drawPlannedRows(doc, rightPlan.rows, top);
  resetCursor(doc, top + Math.max(leftPlan.height, rightPlan.height) + GAP);
}
