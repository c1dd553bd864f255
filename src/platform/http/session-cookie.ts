import type { FastifyReply } from 'fastify';
import type { Config } from '../config/config.ts';
import { cookieAttributes, cookieName } from './cookies.ts';

/** The session cookie: HttpOnly, SameSite=Lax, __Host- over HTTPS; lifetime bounded by the server-side session. */
export function setSessionCookie(reply: FastifyReply, config: Config, token: string, maxAgeSeconds: number): void {
  reply.setCookie(cookieName(config, 'session'), token, { ...cookieAttributes(config), maxAge: maxAgeSeconds });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(cookieName(config, 'session'), cookieAttributes(config));
}
