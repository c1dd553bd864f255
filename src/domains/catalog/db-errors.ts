/** PostgreSQL's unique_violation, as both pg and PGlite report it. */
export function isUniqueViolation(err: unknown, constraintHint?: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string } | null;
  if (e?.code !== '23505') return false;
  if (!constraintHint) return true;
  return (e.constraint ?? e.message ?? '').includes(constraintHint);
}
