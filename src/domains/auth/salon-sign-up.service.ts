import { randomUUID } from 'node:crypto';
import type { Database } from '../../platform/db/database.ts';
import { withIdentity, withPlatform } from '../../platform/db/tenant-scope.ts';
import { consumeRateLimit } from '../../platform/http/rate-limit.ts';
import { queueMail } from '../../platform/mail/mail.ts';
import { ValidationError } from '../shared/domain-error.ts';
import { mailEmailVerification, type RequestContext } from './auth-mail.ts';
import { consumeAuthToken, issueAuthToken, peekAuthToken } from './auth-token.service.ts';
import { setPassword } from './credentials.service.ts';
import { auditAuth } from './login.service.ts';
import { findLoginUser } from './login-user.ts';
import { burnPasswordCheck } from './password.hash.ts';
import { passwordProblem } from './password.policy.ts';

/**
 * A salon signs up: its account (company basics), its owner user and password, and an email
 * verification link. The rows are written as the new salon itself (withIdentity), so the RLS
 * WITH CHECK of salon_accounts/salon_users/user_credentials holds. A taken email gets the same
 * answer on screen; its owner is told by mail instead (no account enumeration).
 */

export interface SalonSignUpInput {
  email: string;
  password: string;
  displayName: string;
  businessType: 'corporation' | 'sole_proprietor';
  companyName: string;
  salonName: string;
  representativeName: string;
  postalCode: string;
  prefecture: string;
  city: string;
  addressLine1: string;
  addressLine2: string;
  phone: string;
}

export async function signUpSalon(
  database: Database,
  input: SalonSignUpInput,
  ctx: RequestContext,
  links: { verify: (token: string) => string; signIn: string; reset: string },
): Promise<{ created: boolean; userId?: string; accountId?: string }> {
  const problem = passwordProblem(input.password, input.email);
  if (problem) throw new ValidationError({ password: problem });
  await consumeRateLimit(database, `signup:ip:${ctx.ip}`, 10, 3600);
  const existing = await findLoginUser(database, 'salon', input.email);
  if (existing) {
    await burnPasswordCheck(input.password);
    await withPlatform(database, async (tx) => {
      await queueMail(tx, {
        tenantId: null,
        to: input.email,
        subject: '【Oroshi】ご登録済みのメールアドレスです',
        text: `このメールアドレスで新規登録のお申し込みがありましたが、すでにアカウントがあります。\n\nサインイン: ${links.signIn}\nパスワードをお忘れの場合: ${links.reset}\n\nお心当たりがない場合は、このメールを破棄してください。\n\n-- \nOroshi サロン卸プラットフォーム`,
      });
      await auditAuth(tx, null, 'salon.sign_up', 'failure', ctx, { reason: 'email_taken', label: input.email });
    });
    return { created: false };
  }
  const accountId = randomUUID();
  const userId = randomUUID();
  await withIdentity(database, { accountId, principalId: userId, audience: 'salon' }, async (tx) => {
    await tx
      .insertInto('salon_accounts')
      .values({
        id: accountId,
        business_type: input.businessType,
        company_name: input.companyName,
        salon_name: input.salonName,
        representative_name: input.representativeName,
        postal_code: input.postalCode,
        prefecture: input.prefecture,
        city: input.city,
        address_line1: input.addressLine1,
        address_line2: input.addressLine2,
        phone: input.phone,
        invoice_registration_number: null,
        establishment_date: null,
        verification_submitted_at: null,
        verified_at: null,
        verified_by: null,
        verification_expires_at: null,
      })
      .execute();
    await tx
      .insertInto('salon_users')
      .values({ id: userId, account_id: accountId, email: input.email.trim(), display_name: input.displayName, role: 'owner', email_verified_at: null, last_login_at: null })
      .execute();
    await setPassword(tx, { userId, kind: 'salon', email: input.email }, input.password);
    const token = await issueAuthToken(tx, 'email_verify', { userId, subject: accountId });
    await mailEmailVerification(tx, { email: input.email.trim(), displayName: input.displayName }, links.verify(token.token));
    await auditAuth(tx, { kind: 'salon', userId, tenantId: null }, 'salon.sign_up', 'success', ctx, { label: input.email });
  });
  return { created: true, userId, accountId };
}

/** Marks the email verified with the emailed link. */
export async function verifySalonEmail(database: Database, token: string, ctx: RequestContext): Promise<boolean> {
  const open = await withPlatform(database, (tx) => peekAuthToken(tx, 'email_verify', token));
  if (!open?.userId || !/^[0-9a-f-]{36}$/.test(open.subject)) return false;
  const userId = open.userId;
  return withIdentity(database, { accountId: open.subject, principalId: userId, audience: 'salon' }, async (tx) => {
    if (!(await consumeAuthToken(tx, 'email_verify', token))) return false;
    const r = await tx.updateTable('salon_users').set({ email_verified_at: new Date() }).where('id', '=', userId).returning('email').executeTakeFirst();
    if (!r) return false;
    await auditAuth(tx, { kind: 'salon', userId, tenantId: null }, 'salon.email_verified', 'success', ctx, { label: r.email });
    return true;
  });
}
