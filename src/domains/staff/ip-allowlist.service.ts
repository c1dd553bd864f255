import net from 'node:net';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { ValidationError } from '../shared/domain-error.ts';
import { auditByStaff, type StaffActor } from './staff-actor.ts';

/**
 * Staff IP allowlists (per shop, or the operator's with tenant_id NULL). An empty list is open;
 * a non-empty list admits only its networks. A list that would lock out the person saving it is
 * refused, so an admin cannot cut off their own access by a typo.
 */

export interface AllowlistEntry {
  cidr: string;
  label: string;
}

function ipv6ToBigInt(address: string): bigint {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const parse = (s: string | undefined) => (s ? s.split(':') : []);
  let headParts = parse(head);
  let tailParts = parse(tail);
  // An embedded IPv4 tail (::ffff:192.0.2.1) counts as two groups.
  const last = (tail !== undefined ? tailParts : headParts).at(-1);
  if (last?.includes('.')) {
    const v4 = last.split('.').map(Number);
    const groups = [((v4[0]! << 8) | v4[1]!).toString(16), ((v4[2]! << 8) | v4[3]!).toString(16)];
    if (tail !== undefined) tailParts = [...tailParts.slice(0, -1), ...groups];
    else headParts = [...headParts.slice(0, -1), ...groups];
  }
  const missing = tail !== undefined ? 8 - headParts.length - tailParts.length : 0;
  const groups = [...headParts, ...Array(missing).fill('0'), ...tailParts];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

/** A CIDR as PostgreSQL's cidr type accepts it (no host bits), or a Japanese reason it is not. */
export function checkCidr(input: string): { cidr: string; family: 'ipv4' | 'ipv6' } | { error: string } {
  const text = input.trim();
  const m = /^([0-9a-fA-F:.]+)(?:\/(\d{1,3}))?$/.exec(text);
  if (!m) return { error: `「${text}」はIPアドレスまたはCIDR(例: 203.0.113.0/24)ではありません。` };
  const address = m[1]!;
  const version = net.isIP(address);
  if (version === 0) return { error: `「${text}」のIPアドレスが正しくありません。` };
  const bits = version === 4 ? 32 : 128;
  const prefix = m[2] === undefined ? bits : Number(m[2]);
  if (prefix > bits) return { error: `「${text}」のプレフィックス長は0〜${bits}で指定してください。` };
  const value = version === 4 ? address.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n) : ipv6ToBigInt(address);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((value & hostMask) !== 0n) return { error: `「${text}」はホスト部が0ではありません(ネットワークアドレスで指定してください)。` };
  return { cidr: `${address.toLowerCase()}/${prefix}`, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Lines of "CIDR [label]"; blank lines and # comments are ignored. */
export function parseAllowlistText(text: string): AllowlistEntry[] {
  const entries: AllowlistEntry[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  if (lines.length > 200) throw new ValidationError({ entries: '登録できるのは200件までです。' });
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [first, ...rest] = line.split(/\s+/);
    const checked = checkCidr(first!);
    if ('error' in checked) {
      errors.push(`${i + 1}行目: ${checked.error}`);
      return;
    }
    const label = rest.join(' ').slice(0, 100);
    if (seen.has(checked.cidr)) {
      errors.push(`${i + 1}行目: ${checked.cidr} が重複しています。`);
      return;
    }
    seen.add(checked.cidr);
    entries.push({ cidr: checked.cidr, label });
  });
  if (errors.length) throw new ValidationError({ entries: errors.join('\n') });
  return entries;
}

export function allowlistAdmits(entries: readonly AllowlistEntry[], clientIp: string): boolean {
  if (entries.length === 0) return true;
  const list = new net.BlockList();
  for (const e of entries) {
    const [address, prefix] = e.cidr.split('/');
    list.addSubnet(address!, Number(prefix), net.isIP(address!) === 6 ? 'ipv6' : 'ipv4');
  }
  const version = net.isIP(clientIp);
  if (version === 0) return false;
  return list.check(clientIp, version === 6 ? 'ipv6' : 'ipv4');
}

export function listAllowlist(tx: Tx, tenantId: string | null) {
  let q = tx.selectFrom('staff_ip_allowlist').select(['id', 'cidr', 'label', 'created_at']);
  q = tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', tenantId);
  return q.orderBy('created_at').execute();
}

/** Replaces the whole list of one scope. */
export async function replaceAllowlist(tx: Tx, actor: StaffActor, tenantId: string | null, entries: readonly AllowlistEntry[], clientIp: string) {
  if (!allowlistAdmits(entries, clientIp)) {
    throw new ValidationError({
      entries: `この内容では、いまお使いの接続元(${clientIp})から管理画面に入れなくなります。接続元を含むネットワークを追加してください。`,
    });
  }
  const before = await listAllowlist(tx, tenantId);
  let del = tx.deleteFrom('staff_ip_allowlist');
  del = tenantId === null ? del.where('tenant_id', 'is', null) : del.where('tenant_id', '=', tenantId);
  await del.execute();
  if (entries.length) {
    await tx
      .insertInto('staff_ip_allowlist')
      .values(entries.map((e) => ({ tenant_id: tenantId, cidr: e.cidr, label: e.label, created_by: actor.id })))
      .execute();
  }
  await auditByStaff(tx, actor, {
    action: 'network.allowlist_replace',
    resourceType: 'staff_ip_allowlist',
    resourceId: tenantId ?? 'operator',
    result: 'success',
    detail: { before: before.map((e) => e.cidr), after: entries.map((e) => e.cidr) },
  });
}
