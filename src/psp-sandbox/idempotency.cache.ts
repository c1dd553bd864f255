/**
 * Stripe's Idempotency-Key: the same key from the same account replays the first response; the
 * same key with different parameters is refused. Kept in memory for 24 hours, bounded in size.
 */
export interface CachedResponse {
  fingerprint: string;
  statusCode: number;
  body: unknown;
  storedAt: number;
}

const TTL_MS = 24 * 60 * 60 * 1000;
const MAX_ENTRIES = 20_000;

export class IdempotencyCache {
  private readonly entries = new Map<string, CachedResponse>();

  constructor(private readonly nowMs: () => number) {}

  get(account: string, key: string): CachedResponse | undefined {
    const entry = this.entries.get(`${account}\u0000${key}`);
    if (entry && this.nowMs() - entry.storedAt > TTL_MS) {
      this.entries.delete(`${account}\u0000${key}`);
      return undefined;
    }
    return entry;
  }

  put(account: string, key: string, entry: Omit<CachedResponse, 'storedAt'>): void {
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(`${account}\u0000${key}`, { ...entry, storedAt: this.nowMs() });
  }
}
