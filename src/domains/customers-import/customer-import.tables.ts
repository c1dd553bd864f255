import type { ColumnType, Generated } from 'kysely';

/** Kysely types of db/migrations/0006_customer_imports.sql. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface CustomerImportBatchesTable {
  tenant_id: string;
  id: Generated<string>;
  file_name: string;
  source_encoding: 'utf-8' | 'cp932';
  csv_text: string;
  row_count: Generated<number>;
  status: Generated<'previewed' | 'committed' | 'discarded'>;
  imported_count: Generated<number>;
  uploaded_by: string;
  created_at: DefaultedTimestamp;
  committed_at: Timestamp | null;
}

export interface CustomerImportTables {
  customer_import_batches: CustomerImportBatchesTable;
}
