import fs from 'node:fs';
import autocannon from 'autocannon';
import type { Measurement } from './bench-report.ts';
import type { SignedInMember } from './member-csrf.ts';

/**
 * One scenario under autocannon, in its own process so the load generator never shares a core's
 * event loop with the server. Each request picks a path (and member, and form body) at random, so
 * the load spreads over many members and SKUs. Reads a LoadSpec from the file in argv[2], prints
 * a Measurement as JSON.
 */
export interface LoadSpec {
  base: string;
  connections: number;
  duration: number;
  method: 'GET' | 'POST';
  paths: string[];
  /** Sign every request as one of these members (random per request). */
  members?: SignedInMember[];
  /** POST form bodies, one picked per request. */
  bodies?: string[];
  expectStatus: number;
}

const spec = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as LoadSpec;
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

const result = await autocannon({
  url: spec.base,
  connections: spec.connections,
  duration: spec.duration,
  requests: [
    {
      method: spec.method,
      setupRequest: ((req: Record<string, unknown>) => {
        const headers: Record<string, string> = {};
        const member = spec.members?.length ? pick(spec.members) : undefined;
        if (member) {
          headers.cookie = member.cookie;
          if (spec.method === 'POST') headers['x-csrf-token'] = member.csrfToken;
        }
        const out: Record<string, unknown> = { ...req, method: spec.method, path: pick(spec.paths), headers };
        if (spec.bodies?.length) {
          headers['content-type'] = 'application/x-www-form-urlencoded';
          out.body = pick(spec.bodies);
        }
        return out;
      }) as never,
    },
  ],
});

const stats = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
const expected = stats[String(spec.expectStatus)]?.count ?? 0;
const answered = Object.values(stats).reduce((n, s) => n + s.count, 0);
const measured: Measurement & { statuses: Record<string, number>; served: number } = {
  served: expected,
  // Only the expected answers count as served: a 403 or 500 storm must not look fast.
  rps: result.duration > 0 ? expected / result.duration : 0,
  p50_ms: result.latency.p50,
  p99_ms: result.latency.p99,
  errors: answered - expected + result.errors + result.timeouts,
  statuses: Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, v.count])),
};
process.stdout.write(`${JSON.stringify(measured)}\n`);
