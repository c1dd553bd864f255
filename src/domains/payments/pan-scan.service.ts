import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../platform/db/database.ts';
import { findCardNumbers, maskCardNumber } from './pan-detector.ts';

/**
 * The proof behind "no card number ever reaches Oroshi": every text and JSON column of every
 * table (read through the owner connection, in batches, so nothing is held whole in memory), and
 * every file under the data directory and any extra paths (logs, uploads, backups), searched for
 * digit runs that are card numbers by brand range, length and Luhn. JAN codes, T-numbers and
 * corporate numbers are not card numbers (the detector knows them); columns that hold JANs are
 * skipped for 13-digit codes by name. Findings print masked.
 */

export interface PanFinding {
  where: string;
  masked: string;
  brand: string;
}

const TEXT_TYPES = new Set(['text', 'character varying', 'character', 'json', 'jsonb', 'citext', 'USER-DEFINED', 'ARRAY']);
const BATCH = 500;
const SKIPPED_SCHEMAS = ['pg_catalog', 'information_schema', 'pgboss'];

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

function scanText(text: string, where: string, janColumn = false): PanFinding[] {
  return findCardNumbers(text, janColumn ? { ignore: (run) => run.digits.length === 13 } : {}).map((m) => ({
    where,
    masked: maskCardNumber(toAsciiDigits(m.match)),
    brand: m.brand,
  }));
}

function toAsciiDigits(text: string): string {
  return text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/\D/g, '');
}

export async function scanDatabaseForPans(database: Database, onFinding: (f: PanFinding) => void = () => undefined): Promise<PanFinding[]> {
  const findings: PanFinding[] = [];
  const { rows } = await database.ownerExec(
    `SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.udt_name
       FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE t.table_type = 'BASE TABLE' AND c.table_schema <> ALL($1::text[]) AND c.table_schema NOT LIKE 'pg_%'
      ORDER BY c.table_schema, c.table_name, c.ordinal_position`,
    [SKIPPED_SCHEMAS],
  );
  const tables = new Map<string, { schema: string; table: string; columns: string[] }>();
  for (const row of rows as { table_schema: string; table_name: string; column_name: string; data_type: string; udt_name: string }[]) {
    const textual = TEXT_TYPES.has(row.data_type) && (row.data_type !== 'USER-DEFINED' || row.udt_name === 'citext') && (row.data_type !== 'ARRAY' || /^_(text|varchar|bpchar|citext)$/.test(row.udt_name));
    if (!textual) continue;
    const key = `${row.table_schema}.${row.table_name}`;
    const entry = tables.get(key) ?? { schema: row.table_schema, table: row.table_name, columns: [] };
    entry.columns.push(row.column_name);
    tables.set(key, entry);
  }
  for (const { schema, table, columns } of tables.values()) {
    const from = `${quoteIdent(schema)}.${quoteIdent(table)}`;
    const select = columns.map((c, i) => `${quoteIdent(c)}::text AS c${i}`).join(', ');
    let after = '(0,0)';
    for (;;) {
      const batch = await database.ownerExec(`SELECT ctid::text AS ctid, ${select} FROM ${from} WHERE ctid > $1::tid ORDER BY ctid LIMIT ${BATCH}`, [after]);
      for (const row of batch.rows as Record<string, string | null>[]) {
        columns.forEach((column, i) => {
          const value = row[`c${i}`];
          if (!value || !/[\d０-９]/.test(value)) return;
          for (const f of scanText(value, `db:${schema}.${table}.${column} (row ${row.ctid})`, /jan/i.test(column))) {
            findings.push(f);
            onFinding(f);
          }
        });
      }
      if (batch.rows.length < BATCH) break;
      after = String((batch.rows.at(-1) as { ctid: string }).ctid);
    }
  }
  return findings;
}

function* walk(root: string): Generator<string> {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(root);
  } catch {
    return;
  }
  if (stat.isSymbolicLink()) return;
  if (stat.isFile()) {
    yield root;
    return;
  }
  if (!stat.isDirectory()) return;
  for (const name of fs.readdirSync(root).sort()) yield* walk(path.join(root, name));
}

/** Reads each file in 1 MB chunks with an overlap, so a number split across chunks is still found. */
export async function scanFilesForPans(roots: readonly string[], onFinding: (f: PanFinding) => void = () => undefined): Promise<{ findings: PanFinding[]; files: number }> {
  const findings: PanFinding[] = [];
  let files = 0;
  for (const root of roots) {
    for (const file of walk(root)) {
      files++;
      let carry = '';
      const seen = new Set<string>();
      for await (const chunk of fs.createReadStream(file, { encoding: 'latin1', highWaterMark: 1024 * 1024 })) {
        const text = carry + (chunk as string);
        for (const f of scanText(Buffer.from(text, 'latin1').toString('utf8'), file)) {
          // The overlap may show the same number twice: one line per number per file.
          if (seen.has(f.masked)) continue;
          seen.add(f.masked);
          findings.push(f);
          onFinding(f);
        }
        carry = text.slice(-64);
      }
    }
  }
  return { findings, files };
}
