import type { FastifyInstance } from 'fastify';
import type { Platform } from '../src/platform/http/platform.ts';

/**
 * DELIBERATELY VULNERABLE — the scanners' negative control (npm run scan:web). SQL built by string
 * concatenation on the owner connection, errors echoed, input reflected unescaped. It is not in
 * src/web/routes.ts: only scripts/scan-negative-control.server.ts registers it, and only when
 * OROSHI_SCAN_NEGATIVE_CONTROL=1. A scan that does not find this has proven nothing.
 */
export function scanNegativeControlRoutes(app: FastifyInstance, platform: Platform): void {
  if (process.env.OROSHI_SCAN_NEGATIVE_CONTROL !== '1') throw new Error('the injectable negative-control route needs OROSHI_SCAN_NEGATIVE_CONTROL=1');
  app.get('/scan-control/products', async (request, reply) => {
    const sku = String((request.query as Record<string, unknown>).sku ?? '');
    reply.header('content-type', 'text/html; charset=utf-8');
    try {
      const { rows } = await platform.database.ownerExec(`SELECT sku, list_price_yen FROM product_variants WHERE sku = '${sku}' LIMIT 5`);
      return reply.send(`<!doctype html><title>control</title><p>Results for ${sku}</p><ul>${rows.map((r) => `<li>${r.sku} ${r.list_price_yen}</li>`).join('')}</ul>`);
    } catch (err) {
      return reply.status(500).send(`<!doctype html><title>control</title><p>Results for ${sku}</p><pre>${(err as Error).message}</pre>`);
    }
  });
  app.get('/scan-control', async (_request, reply) =>
    reply.header('content-type', 'text/html; charset=utf-8').send('<!doctype html><title>control</title><a href="/scan-control/products?sku=STORM-01">products</a><form action="/scan-control/products"><input name="sku" value="x"></form>'),
  );
}
