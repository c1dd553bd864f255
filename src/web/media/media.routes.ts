import type { FastifyInstance, FastifyReply } from 'fastify';
import { parseMediaFileName, readRendition } from '../../domains/media/media-store.ts';
import { shopUsesImage } from '../../domains/media/product-image.service.ts';
import { DomainError } from '../../domains/shared/domain-error.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { inShop } from '../../platform/http/request-scope.ts';

/**
 * Product images, from the shop's own origin: `/media/<hash>-<size>.webp` (registered under the
 * shop prefixes, so it answers on every shop origin and at /s/<slug>/media/… in development).
 * A shop serves only files its own products use; files are content-named, hence immutable.
 */

const NOT_FOUND = '画像が見つかりません。';

export function sendRendition(reply: FastifyReply, body: Buffer, cache: 'public' | 'private'): FastifyReply {
  return reply
    .header('content-type', 'image/webp')
    .header('cache-control', `${cache}, max-age=31536000, immutable`)
    .header('x-content-type-options', 'nosniff')
    .header('cross-origin-resource-policy', 'same-origin')
    .header('content-disposition', 'inline')
    .send(body);
}

export function shopMediaRoutes(app: FastifyInstance, platform: Platform) {
  app.get<{ Params: { file: string } }>('/media/:file', async (request, reply) => {
    const name = parseMediaFileName(request.params.file);
    if (!name) throw new DomainError('not_found', NOT_FOUND);
    const used = await inShop(platform, request, ({ tx }) => shopUsesImage(tx, name.contentHash));
    if (!used) throw new DomainError('not_found', NOT_FOUND);
    const body = await readRendition(platform.config.dataDir, request.params.file);
    if (!body) throw new DomainError('not_found', NOT_FOUND);
    return sendRendition(reply, body, 'public');
  });
}
