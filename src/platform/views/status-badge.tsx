import type { ComponentChildren } from 'preact';

/**
 * One colour per meaning on every screen (see "Status badges" in app.css):
 * ok = done/available, warn = waiting or running low, danger = refused or unavailable,
 * neutral = inactive or not started, info = plain information.
 */
export type StatusTone = 'ok' | 'warn' | 'danger' | 'neutral' | 'info';

export function StatusBadge(props: { tone: StatusTone; children: ComponentChildren }) {
  return <span class={props.tone === 'info' ? 'badge' : `badge badge--${props.tone}`}>{props.children}</span>;
}

/** 申請中 / 承認済み / 否認 / 停止中 — the same colours for the salon and for shop staff. */
export const MEMBERSHIP_TONE: Readonly<Record<string, StatusTone>> = { applied: 'warn', approved: 'ok', rejected: 'danger', suspended: 'neutral' };

/** サロン確認: 未提出 / 確認待ち / 確認済み / 確認不可 / 期限切れ. */
export const VERIFICATION_TONE: Readonly<Record<string, StatusTone>> = { unsubmitted: 'neutral', pending: 'warn', verified: 'ok', rejected: 'danger', expired: 'danger' };

/** 在庫あり / 残りわずか / 在庫切れ. */
export const STOCK_TONE: Readonly<Record<string, StatusTone>> = { in_stock: 'ok', low: 'warn', out: 'danger' };

/** Staff and salon users: 利用中 / 招待中 / 停止. */
export const USER_STATUS_TONE: Readonly<Record<string, StatusTone>> = { active: 'ok', invited: 'warn', disabled: 'neutral', suspended: 'neutral' };

export function toneOf(map: Readonly<Record<string, StatusTone>>, status: string): StatusTone {
  return map[status] ?? 'neutral';
}
