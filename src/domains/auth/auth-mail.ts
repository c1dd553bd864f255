import type { Tx } from '../../platform/db/tenant-scope.ts';
import { queueMail } from '../../platform/mail/mail.ts';

/**
 * The emails authentication sends: account-owner alerts (new staff sign-in, credential changes,
 * lockout) and links (password reset, email verification). Queued in the caller's transaction
 * through the outbox, so they leave only if the change committed.
 */

const JST = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'long', timeStyle: 'medium' });

export interface RequestContext {
  ip: string;
  userAgent: string;
  requestId: string;
}

const FOOTER = '\n\nお心当たりがない場合は、すぐにパスワードを変更し、管理者またはOroshi運営事務局へご連絡ください。\n\n-- \nOroshi サロン卸プラットフォーム';

export function mailNewStaffLogin(tx: Tx, to: { email: string; tenantId: string | null; displayName: string }, ctx: RequestContext, at = new Date()) {
  return queueMail(tx, {
    tenantId: to.tenantId,
    to: to.email,
    subject: '【Oroshi】管理画面へのサインインがありました',
    text: `${to.displayName} 様\n\n管理画面へのサインインがありました。\n\n日時: ${JST.format(at)}\nIPアドレス: ${ctx.ip}\nブラウザ: ${ctx.userAgent.slice(0, 200) || '(不明)'}${FOOTER}`,
  });
}

export function mailCredentialChanged(tx: Tx, to: { email: string; tenantId: string | null }, change: string, ctx: RequestContext, at = new Date()) {
  return queueMail(tx, {
    tenantId: to.tenantId,
    to: to.email,
    subject: '【Oroshi】認証情報が変更されました',
    text: `アカウントの認証情報が変更されました。\n\n内容: ${change}\n日時: ${JST.format(at)}\nIPアドレス: ${ctx.ip}${FOOTER}`,
  });
}

export function mailLockout(tx: Tx, to: { email: string; tenantId: string | null }, minutes: number, ctx: RequestContext) {
  return queueMail(tx, {
    tenantId: to.tenantId,
    to: to.email,
    subject: '【Oroshi】アカウントを一時的にロックしました',
    text: `パスワードの誤入力が続いたため、アカウントを${minutes}分間ロックしました。\n\n日時: ${JST.format(new Date())}\n最後の試行元IPアドレス: ${ctx.ip}\n\nご本人の操作であれば、時間をおいてから再度お試しいただくか、パスワードを再設定してください。${FOOTER}`,
  });
}

export function mailPasswordReset(tx: Tx, to: { email: string }, link: string) {
  return queueMail(tx, {
    tenantId: null,
    to: to.email,
    subject: '【Oroshi】パスワード再設定のご案内',
    text: `パスワード再設定のご依頼を受け付けました。\n\n次のリンクから30分以内に新しいパスワードを設定してください（1回のみ有効）。\n${link}\n\nお心当たりがない場合は、このメールを破棄してください。パスワードは変更されません。\n\n-- \nOroshi サロン卸プラットフォーム`,
  });
}

export function mailEmailVerification(tx: Tx, to: { email: string; displayName: string }, link: string) {
  return queueMail(tx, {
    tenantId: null,
    to: to.email,
    subject: '【Oroshi】メールアドレスの確認',
    text: `${to.displayName} 様\n\nOroshi へのご登録ありがとうございます。次のリンクを開いてメールアドレスを確認してください（3日間有効）。\n${link}\n\n-- \nOroshi サロン卸プラットフォーム`,
  });
}
