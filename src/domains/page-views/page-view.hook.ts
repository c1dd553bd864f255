import { cookieName } from '../../platform/http/cookies.ts';
import { onPageSent } from '../../platform/http/page-reply.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { browserKeyOf, createPageViewBuffer, type PageViewBuffer } from './page-view.recorder.ts';

/** Boot wiring: every protected page this process sends is buffered and written once a second. */
export function recordProtectedPageViews(platform: Platform, options: { flushMs?: number } = {}): PageViewBuffer {
  const buffer = createPageViewBuffer(platform.database, platform.log, options);
  const csrfCookie = cookieName(platform.config, 'csrf');
  onPageSent(platform, (request, page, status) => {
    if (status >= 500) return;
    buffer.add({
      tenantId: request.tenantId,
      page,
      viewedAt: new Date(),
      sessionTokenHash: request.sessionTokenHash,
      browserKey: browserKeyOf(request.cookies[csrfCookie]),
    });
  });
  return buffer;
}
