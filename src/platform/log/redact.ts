/**
 * Log redaction. Secrets are removed by key; card-number-like digit runs are masked wherever they
 * appear, because a PAN in a log file is a breach even when no code meant to log it.
 */

const SECRET_KEY = /pass(word)?|secret|token|cookie|authorization|csrf|otp|totp|cvc|cvv|card_?number|pan|api_?key|private/i;

// 13–19 digits, optionally separated by single spaces or hyphens, half- or full-width.
const PAN_LIKE = /(?<![0-9０-９])(?:[0-9０-９][ \-－]?){12,18}[0-9０-９](?![0-9０-９])/g;

export function maskPanLike(text: string): string {
  return text.replace(PAN_LIKE, (run) => {
    const digits = run.replace(/[^0-9０-９]/g, '');
    return `[digits:${digits.length}]`;
  });
}

export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPanLike(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[deep]';
  if (value instanceof Error) {
    return { type: value.name, message: maskPanLike(value.message), stack: value.stack ? maskPanLike(value.stack) : undefined };
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : redactValue(v, depth + 1);
  }
  return out;
}
