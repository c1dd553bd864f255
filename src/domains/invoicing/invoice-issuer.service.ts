import { z } from 'zod';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { bankAccountFields, fieldErrorsOf } from '../orders/bank-account.schema.ts';
import type { BankAccountSetting } from '../orders/orders.tables.ts';
import { ValidationError } from '../shared/domain-error.ts';
import { auditByStaff, type StaffActor } from '../staff/staff-actor.ts';
import { parseRegistrationNumber } from './registration-number.ts';

/**
 * 適格請求書の発行者情報 of a shop: what every qualified invoice, 返還インボイス and monthly
 * statement prints as the issuer — registration number (T + 13 digits, check digit verified),
 * name, address, phone, the bank account for transfers and a fixed note (振込手数料, 社印省略 …).
 * Issued documents never change: a new value shows on documents issued after it.
 */

export interface IssuerForm {
  registrationNumber: string;
  issuerName: string;
  issuerPostalCode: string;
  issuerAddress: string;
  issuerPhone: string;
  bankName: string;
  branchName: string;
  accountType: string;
  accountNumber: string;
  accountHolder: string;
  invoiceNote: string;
}

const EMPTY: IssuerForm = {
  registrationNumber: '',
  issuerName: '',
  issuerPostalCode: '',
  issuerAddress: '',
  issuerPhone: '',
  bankName: '',
  branchName: '',
  accountType: '普通',
  accountNumber: '',
  accountHolder: '',
  invoiceNote: '',
};

/** The current values as the form shows them ('' where the shop has none yet). */
export async function loadIssuerForm(tx: Tx, tenantId: string): Promise<{ values: IssuerForm; exists: boolean }> {
  const row = await tx.selectFrom('shop_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
  if (!row) return { values: { ...EMPTY }, exists: false };
  const bank = (typeof row.bank_account === 'string' ? JSON.parse(row.bank_account) : row.bank_account) as Partial<BankAccountSetting>;
  return {
    exists: true,
    values: {
      registrationNumber: row.registration_number ?? '',
      issuerName: row.issuer_name,
      issuerPostalCode: row.issuer_postal_code,
      issuerAddress: row.issuer_address,
      issuerPhone: row.issuer_phone,
      bankName: bank.bankName ?? '',
      branchName: bank.branchName ?? '',
      accountType: bank.accountType ?? '普通',
      accountNumber: bank.accountNumber ?? '',
      accountHolder: bank.accountHolder ?? '',
      invoiceNote: row.invoice_note,
    },
  };
}

const line = (label: string, max: number, required: boolean) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').normalize('NFKC').trim().replace(/\s+/g, ' '))
    .pipe(
      z
        .string()
        .max(max, `${label}は${max}文字以内で入力してください。`)
        .refine((v) => !required || v.length > 0, `${label}を入力してください。`),
    );

const issuerSchema = z.object({
  issuerName: line('発行者名（会社名）', 100, true),
  issuerPostalCode: z
    .string()
    .optional()
    .transform((v) => (v ?? '').normalize('NFKC').replace(/[\s-‐－ー]/g, ''))
    .pipe(z.string().regex(/^\d{7}$/, '郵便番号は7桁の数字で入力してください（例: 150-0001）。')),
  issuerAddress: line('所在地', 200, true),
  issuerPhone: z
    .string()
    .optional()
    .transform((v) => (v ?? '').normalize('NFKC').trim())
    .pipe(z.string().regex(/^0\d{1,4}-?\d{1,4}-?\d{3,4}$/, '電話番号を正しく入力してください（例: 03-1234-5678）。')),
  ...bankAccountFields,
  invoiceNote: z
    .string()
    .optional()
    .transform((v) => (v ?? '').normalize('NFKC').trim())
    .pipe(z.string().max(300, '請求書の備考は300文字以内で入力してください。')),
});

export interface SavedIssuer {
  registration_number: string;
  issuer_name: string;
  issuer_postal_code: string;
  issuer_address: string;
  issuer_phone: string;
  bank_account: string;
  invoice_note: string;
}

export function parseIssuerForm(form: Record<string, string | undefined>): SavedIssuer {
  const errors: Record<string, string> = {};
  const registration = parseRegistrationNumber(form.registrationNumber ?? '');
  if (!registration.ok) errors.registrationNumber = registration.message;
  const parsed = issuerSchema.safeParse(form);
  if (!parsed.success) Object.assign(errors, fieldErrorsOf(parsed.error));
  if (!parsed.success || !registration.ok || Object.keys(errors).length) throw new ValidationError(errors);
  const d = parsed.data;
  return {
    registration_number: registration.value,
    issuer_name: d.issuerName,
    issuer_postal_code: d.issuerPostalCode,
    issuer_address: d.issuerAddress,
    issuer_phone: d.issuerPhone,
    bank_account: JSON.stringify({ bankName: d.bankName, branchName: d.branchName, accountType: d.accountType, accountNumber: d.accountNumber, accountHolder: d.accountHolder } satisfies BankAccountSetting),
    invoice_note: d.invoiceNote,
  };
}

/** Saves the issuer details (creating the shop's settings row if it has none yet), audited. */
export async function saveIssuerSettings(tx: Tx, actor: StaffActor, tenantId: string, form: Record<string, string | undefined>): Promise<SavedIssuer> {
  const values = parseIssuerForm(form);
  const before = await loadIssuerForm(tx, tenantId);
  await tx
    .insertInto('shop_settings')
    .values({ tenant_id: tenantId, ...values, shipping_rules: '{}', cod_fee_bands: '[]' })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
    .execute();
  const bank = JSON.parse(values.bank_account) as BankAccountSetting;
  const b = before.values;
  const changed = Object.entries({
    registrationNumber: [b.registrationNumber, values.registration_number],
    issuerName: [b.issuerName, values.issuer_name],
    issuerPostalCode: [b.issuerPostalCode, values.issuer_postal_code],
    issuerAddress: [b.issuerAddress, values.issuer_address],
    issuerPhone: [b.issuerPhone, values.issuer_phone],
    bankAccount: [[b.bankName, b.branchName, b.accountType, b.accountNumber, b.accountHolder].join('/'), [bank.bankName, bank.branchName, bank.accountType, bank.accountNumber, bank.accountHolder].join('/')],
    invoiceNote: [b.invoiceNote, values.invoice_note],
  })
    .filter(([, [was, now]]) => was !== now)
    .map(([field]) => field);
  await auditByStaff(tx, actor, {
    action: 'shop.invoice_issuer_updated',
    resourceType: 'shop_settings',
    resourceId: tenantId,
    result: 'success',
    detail: {
      changed,
      registrationNumber: values.registration_number,
      issuerName: values.issuer_name,
      // Where customers send money is security-relevant: the audit says which account, masked.
      bankAccount: `${bank.bankName} ${bank.branchName} ${bank.accountType} ***${bank.accountNumber.slice(-3)}`,
    },
  });
  return values;
}
