import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type IssuerForm, loadIssuerForm, saveIssuerSettings } from '../../../domains/invoicing/invoice-issuer.service.ts';
import { ValidationError } from '../../../domains/shared/domain-error.ts';
import { requireStepUp } from '../../../platform/http/auth-guard.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { Field, type FieldErrors, FormErrors, type FormValues, Notice, SelectField, TextArea } from '../../../platform/views/console-form.tsx';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { formBody, frameOf, inAdmin } from '../admin-guard.ts';
import { AdminLayout, type AdminPageFrame, adminBase } from '../admin-layout.tsx';
import { navRoles } from '../admin-nav.ts';

function IssuerPage(props: AdminPageFrame & { values: FormValues; errors?: FieldErrors; notice?: boolean; exists: boolean }) {
  const p = { values: props.values, errors: props.errors, idPrefix: 'issuer' };
  return (
    <AdminLayout {...props} title="請求書の発行者情報" active="invoice-issuer">
      <Notice>{props.notice && '発行者情報を保存しました。これから発行する請求書・返還インボイス・月次請求書に載ります（発行済みの書類は変わりません）。'}</Notice>
      <p class="lead">適格請求書（インボイス）に載せる発行者の情報です。登録番号はチェックデジットを確認します。振込先の変更は再認証が必要で、監査ログに残ります。</p>
      {!props.exists && (
        <div class="alert alert--error" role="alert">
          発行者情報が未登録のため、請求書を発行できません。
        </div>
      )}
      <form method="post" action={`${adminBase(props.shop.slug)}/settings/invoice-issuer`} class="panel">
        <CsrfField token={props.csrfToken} />
        <FormErrors errors={props.errors} />
        <fieldset>
          <legend>適格請求書発行事業者</legend>
          <Field {...p} name="registrationNumber" label="登録番号" required hint="「T」と13桁の数字（例: T1234567890123）。ハイフンや全角でも入力できます" />
          <Field {...p} name="issuerName" label="発行者名（会社名）" required />
          <Field {...p} name="issuerPostalCode" label="郵便番号" required inputMode="numeric" hint="例: 150-0001" autocomplete="postal-code" />
          <Field {...p} name="issuerAddress" label="所在地" required autocomplete="street-address" />
          <Field {...p} name="issuerPhone" label="電話番号" required type="tel" hint="例: 03-1234-5678" />
        </fieldset>
        <fieldset>
          <legend>お振込先（請求書に記載）</legend>
          <Field {...p} name="bankName" label="金融機関名" required />
          <Field {...p} name="branchName" label="支店名" required />
          <SelectField
            {...p}
            name="accountType"
            label="口座種別"
            options={[
              { value: '普通', label: '普通' },
              { value: '当座', label: '当座' },
            ]}
          />
          <Field {...p} name="accountNumber" label="口座番号（7桁）" required inputMode="numeric" />
          <Field {...p} name="accountHolder" label="口座名義（カナ）" required hint="例: カ）アヤメカラー" />
        </fieldset>
        <TextArea {...p} name="invoiceNote" label="請求書の備考（任意）" rows={3} hint="全ての請求書に載ります。例: 振込手数料は貴社にてご負担ください。社印は省略しております。（300文字まで）" />
        <button type="submit">保存する</button>
      </form>
    </AdminLayout>
  );
}

/** 請求書の発行者情報 (shop admins): the issuer on every qualified invoice; saving needs a fresh step-up. */
export function adminInvoiceIssuerRoutes(app: FastifyInstance, platform: Platform) {
  const roles = navRoles('invoice-issuer');
  const config = { staffRoles: roles };
  const pagePath = (slug: string) => `${adminBase(slug)}/settings/invoice-issuer`;

  async function render(request: FastifyRequest, reply: FastifyReply, form?: { values: Record<string, string>; errors: FieldErrors }) {
    const data = await inAdmin(platform, request, roles, async (s) => ({ ...s, issuer: await loadIssuerForm(s.tx, s.tenant.id) }));
    const values: FormValues = form?.values ?? (data.issuer.values satisfies IssuerForm as unknown as FormValues);
    return reply.page(<IssuerPage {...frameOf(platform, request, data)} values={values} errors={form?.errors} exists={data.issuer.exists} notice={(request.query as { done?: string }).done === '1'} />, {
      page: 'admin-invoice-issuer',
      status: form ? 400 : 200,
    });
  }

  app.get('/settings/invoice-issuer', { config }, (request, reply) => render(request, reply));
  app.post('/settings/invoice-issuer', { config }, async (request, reply) => {
    const body = formBody(request);
    try {
      const slug = await inAdmin(platform, request, roles, async (s) => {
        requireStepUp(s.principal, pagePath(s.tenant.slug));
        await saveIssuerSettings(s.tx, s.actor, s.tenant.id, body);
        return s.tenant.slug;
      });
      return reply.redirect(`${pagePath(slug)}?done=1`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { values: body, errors: { ...err.fieldErrors } });
      throw err;
    }
  });
}
