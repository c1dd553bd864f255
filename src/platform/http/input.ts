import type { z } from 'zod';
import { ValidationError } from '../../domains/shared/domain-error.ts';

/**
 * Parses request input with a zod schema; failures become a ValidationError whose field messages
 * are the schema's own (schemas carry Japanese messages), so forms can re-render with them.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fieldErrors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_form';
    fieldErrors[key] ??= issue.message;
  }
  throw new ValidationError(fieldErrors);
}
