import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A throw-away certificate authority for one `npm run bench:detect --https` run, and a server
 * certificate it signs for 127.0.0.1 and localhost. node:crypto reads X.509 but cannot issue it;
 * the `openssl` command-line tool Debian ships does, so no dependency is added for it.
 *
 * Chromium is told to accept this one server key (`--ignore-certificate-errors-spki-list` with the
 * leaf's SPKI hash): certificate verification stays on for every other certificate, unlike
 * `--ignore-certificate-errors`.
 */

export interface TestCa {
  /** The CA's certificate (PEM). */
  caCert: string;
  /** The server's key and its certificate chain: leaf, then the CA (PEM). */
  key: string;
  cert: string;
  /** base64 SHA-256 of the leaf's SubjectPublicKeyInfo: the value Chromium's SPKI allow-list takes. */
  spkiSha256: string;
  /** The Chromium flag that trusts the leaf (and nothing else). */
  chromiumArgs: string[];
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error('bench:detect --https needs the openssl command (Debian: apt-get install openssl)');
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.toString().trim() ?? e.message}`);
  }
}

export function spkiSha256(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

export function createTestCa(): TestCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-test-ca-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=Oroshi bench:detect test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], dir);
  fs.writeFileSync(
    path.join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n',
  );
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'server.ext', '-out', 'server.crt'], dir);
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  const caCert = read('ca.crt');
  const leaf = read('server.crt');
  if (!new X509Certificate(leaf).verify(new X509Certificate(caCert).publicKey)) throw new Error('the test CA did not sign the server certificate');
  const spki = spkiSha256(leaf);
  return {
    caCert,
    key: read('server.key'),
    cert: `${leaf}${caCert}`,
    spkiSha256: spki,
    chromiumArgs: [`--ignore-certificate-errors-spki-list=${spki}`],
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TlsListener {
  /** https://127.0.0.1:<port> */
  url: string;
  /** Hands every request to this Fastify instance (built after the port is known: its BASE_URL names it). */
  attach(app: { server: import('node:http').Server }): void;
  close(): Promise<void>;
}

/**
 * A TLS listener on a free port of 127.0.0.1 that passes each request to a Fastify instance's own
 * request handler (`server.emit('request')`), so an app built by the ordinary builder serves HTTPS
 * unchanged: it sees an encrypted socket (request.protocol 'https').
 */
export async function listenTls(ca: Pick<TestCa, 'key' | 'cert'>): Promise<TlsListener> {
  const https = await import('node:https');
  let target: import('node:http').Server | null = null;
  const server = https.createServer({ key: ca.key, cert: ca.cert }, (req, res) => {
    if (!target) {
      res.statusCode = 503;
      res.end();
      return;
    }
    target.emit('request', req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `https://127.0.0.1:${port}`,
    attach(app) {
      target = app.server;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
