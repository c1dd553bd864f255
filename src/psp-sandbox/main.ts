import { createPspSandbox } from './psp-sandbox.server.ts';

// A separate program from the platform (its own origin, like a real PSP), so it reads its own env.
const port = Number(process.env.PSP_PORT ?? 3100);
const host = process.env.PSP_HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PSP_PORT must be a port number, got ${process.env.PSP_PORT}`);
  process.exit(1);
}

const sandbox = await createPspSandbox({
  port,
  host,
  publicOrigin: process.env.PSP_PUBLIC_ORIGIN || undefined,
  dataFile: process.env.PSP_DATA_FILE ?? 'data/psp-sandbox.json',
  log: process.env.PSP_LOG !== '0',
  testHooks: process.env.PSP_TEST_HOOKS === '1',
});
console.log(`PSP sandbox listening on ${sandbox.origin} (Stripe-compatible API under /v1, hosted page under /pay)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
