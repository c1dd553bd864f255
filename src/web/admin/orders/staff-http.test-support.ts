import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { createTestStaff, staffSessionCookie } from '../../../../test/sign-in.ts';
import { csrfFrom } from '../../../../test/test-app.ts';
import type { StaffRole } from '../../../domains/accounts/accounts.tables.ts';
import type { Platform } from '../../../platform/http/platform.ts';

/** HTTP helpers for shop-console tests: a signed-in staff member, a page's CSRF token, form posts. */

export interface StaffBrowser {
  cookies: string;
  token: string;
  userId: string;
}

export async function staffCookie(platform: Platform, tenantId: string, role: StaffRole): Promise<{ cookie: string; userId: string }> {
  const staff = await createTestStaff(platform, { tenantId, role });
  return { cookie: await staffSessionCookie(platform, staff), userId: staff.userId };
}

/** Opens `url` (it must answer 200) and keeps its CSRF cookie and token for the next posts. */
export async function withCsrf(app: FastifyInstance, staff: { cookie: string; userId: string }, url: string): Promise<StaffBrowser> {
  const res = await app.inject({ method: 'GET', url, headers: { cookie: staff.cookie } });
  expect(res.statusCode, url).toBe(200);
  const csrf = csrfFrom(res);
  return { cookies: `${staff.cookie}; ${csrf.cookie}`, token: csrf.token, userId: staff.userId };
}

export function postForm(app: FastifyInstance, b: StaffBrowser, url: string, form: Record<string, string | string[]>) {
  const params = new URLSearchParams({ _csrf: b.token });
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
  return app.inject({ method: 'POST', url, headers: { cookie: b.cookies, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }, payload: params.toString() });
}
