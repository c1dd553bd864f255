import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

/**
 * Server-side egress allowlist (BRIEF catalogue 13: a tampered payment module or dependency
 * posting card data or secrets to its own server). Every TCP connection a Node process opens —
 * http, https, tls, undici's fetch, pg, nodemailer — goes through net.Socket#connect, so that is
 * the one place wrapped; fetch is wrapped as well so its caller gets a clear error. A connection to
 * a host not on the list never starts: the socket is destroyed with EgressBlockedError and
 * `onBlocked` is told (it raises the security event).
 *
 * This is a tripwire inside the process, not a firewall: code that already runs in the process
 * could restore the original function. Production should also restrict egress at the network
 * layer; this catches the common skimmer that simply calls out, and reports it.
 */

export class EgressBlockedError extends Error {
  readonly code = 'EGRESS_BLOCKED';
  constructor(
    readonly host: string,
    readonly port: number | null,
  ) {
    super(`outgoing connection to ${host}${port ? `:${port}` : ''} is not on the egress allowlist`);
  }
}

export interface EgressAttempt {
  host: string;
  port: number | null;
  via: 'socket' | 'fetch';
  at: Date;
  /** Where the attempt came from (trimmed stack), for the evidence. */
  stack: string;
}

export interface EgressGuardOptions {
  /** Host names (or `*.suffix` wildcards) allowed; a function is asked on every connection. */
  allowHosts: readonly string[] | (() => readonly string[]);
  /** Loopback (127.0.0.0/8, ::1, localhost) — development and tests. */
  allowLoopback: boolean;
  onBlocked: (attempt: EgressAttempt) => void;
}

export interface EgressGuard {
  isAllowed(host: string): boolean;
  uninstall(): void;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|0:0:0:0:0:0:0:1|::ffff:127(?:\.\d{1,3}){3})$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(normalizeHost(host));
}

export function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

export function hostMatches(host: string, allowed: readonly string[]): boolean {
  const h = normalizeHost(host);
  return allowed.some((entry) => {
    const a = normalizeHost(entry);
    if (!a) return false;
    return a.startsWith('*.') ? h.endsWith(a.slice(1)) && h.length > a.length - 1 : h === a;
  });
}

let installed: EgressGuard | null = null;

/** Connection target from the many shapes of Socket#connect's arguments; null for a local (IPC) path. */
function targetOf(args: unknown[]): { host: string; port: number | null } | null {
  let first = args[0];
  // Node passes [options, cb] normalized as an array internally in some paths.
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === 'object') {
    const o = first as { path?: unknown; host?: unknown; hostname?: unknown; port?: unknown };
    if (typeof o.path === 'string' && o.path) return null;
    const host = typeof o.host === 'string' && o.host ? o.host : typeof o.hostname === 'string' && o.hostname ? o.hostname : 'localhost';
    const port = Number(o.port);
    return { host, port: Number.isFinite(port) ? port : null };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return null;
  const port = Number(first);
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number.isFinite(port) ? port : null };
}

function callerStack(): string {
  return (new Error().stack ?? '').split('\n').slice(3, 12).join('\n');
}

export function installEgressGuard(options: EgressGuardOptions): EgressGuard {
  if (installed) throw new Error('egress guard is already installed');
  const hosts = () => (typeof options.allowHosts === 'function' ? options.allowHosts() : options.allowHosts);
  const isAllowed = (host: string) => (options.allowLoopback && LOOPBACK.test(normalizeHost(host))) || hostMatches(host, hosts());
  const report = (attempt: EgressAttempt) => {
    try {
      options.onBlocked(attempt);
    } catch {
      // The block stands whatever the reporter does.
    }
  };

  const originalConnect = net.Socket.prototype.connect;
  const guardedConnect = function (this: net.Socket, ...args: unknown[]) {
    const target = targetOf(args);
    if (target && !isAllowed(target.host)) {
      const error = new EgressBlockedError(normalizeHost(target.host), target.port);
      report({ host: error.host, port: target.port, via: 'socket', at: new Date(), stack: callerStack() });
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  };
  net.Socket.prototype.connect = guardedConnect as typeof net.Socket.prototype.connect;

  const originalFetch = globalThis.fetch;
  const guardedFetch: typeof fetch = (input, init) => {
    let url: URL | null = null;
    try {
      url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : (input as Request).url);
    } catch {
      url = null;
    }
    if (url && (url.protocol === 'http:' || url.protocol === 'https:') && !isAllowed(url.hostname)) {
      const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
      const error = new EgressBlockedError(normalizeHost(url.hostname), port);
      report({ host: error.host, port, via: 'fetch', at: new Date(), stack: callerStack() });
      return Promise.reject(error);
    }
    return originalFetch(input, init);
  };
  globalThis.fetch = guardedFetch;
  syncBuiltinESMExports();

  installed = {
    isAllowed,
    uninstall() {
      if (net.Socket.prototype.connect === (guardedConnect as unknown)) net.Socket.prototype.connect = originalConnect;
      if (globalThis.fetch === guardedFetch) globalThis.fetch = originalFetch;
      syncBuiltinESMExports();
      installed = null;
    },
  };
  return installed;
}
