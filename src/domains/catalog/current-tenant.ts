import { sql } from 'kysely';

/** The transaction's own shop, for inserts: RLS's WITH CHECK refuses any other value anyway. */
export const currentTenant = () => sql<string>`nullif(current_setting('app.tenant_id', true), '')::uuid`;
