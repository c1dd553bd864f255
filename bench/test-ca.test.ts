import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestCa, listenTls, spkiSha256 } from './test-ca.ts';

const ca = createTestCa();
afterAll(() => ca.remove());

function get(url: string, options: https.RequestOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(url, options, (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('bench:detect test CA', () => {
  it('signs a server certificate for 127.0.0.1 that only a client trusting the CA accepts', async () => {
    const leaf = new X509Certificate(ca.cert);
    expect(leaf.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(leaf.ca).toBe(false);
    expect(new X509Certificate(ca.caCert).ca).toBe(true);
    expect(ca.spkiSha256).toBe(spkiSha256(ca.cert));
    expect(ca.chromiumArgs).toEqual([`--ignore-certificate-errors-spki-list=${ca.spkiSha256}`]);

    const tls = await listenTls(ca);
    // The app behind it sees an encrypted socket, as Fastify does when it listens with TLS itself.
    const app = http.createServer((req, res) => res.end(`encrypted=${'encrypted' in req.socket && req.socket.encrypted === true}`));
    tls.attach({ server: app });
    try {
      expect(tls.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(await get(tls.url, { ca: ca.caCert })).toBe('encrypted=true');
      await expect(get(tls.url, {})).rejects.toThrow(/self[- ]signed|unable to (get|verify)/i);
    } finally {
      await tls.close();
    }
  });
});
