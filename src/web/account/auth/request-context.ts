import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../../domains/auth/auth-mail.ts';

export function requestContext(request: FastifyRequest): RequestContext {
  return { ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '').slice(0, 300), requestId: String(request.id) };
}
