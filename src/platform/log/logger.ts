import type { FastifyServerOptions } from 'fastify';
import pino, { type Logger } from 'pino';
import { maskPanLike, redactValue } from './redact.ts';

type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Pino options shared by the web process, jobs and commands: JSON lines, redacted at the source. */
export function loggerOptions(level: LevelName): pino.LoggerOptions {
  return {
    level,
    base: { service: 'oroshi' },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.secret'],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; url: string; id: string; ip?: string }) => ({
        id: req.id,
        method: req.method,
        url: maskPanLike(req.url),
        ip: req.ip,
      }),
      err: (err: Error) => redactValue(err),
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => redactValue(a)) as Parameters<typeof method>);
      },
    },
  };
}

export function createLogger(level: LevelName): Logger {
  return pino(loggerOptions(level));
}

export type FastifyLoggerOptions = FastifyServerOptions['logger'];
