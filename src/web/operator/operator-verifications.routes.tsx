import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { certificateDownloadHeaders, openCertificate } from '../../domains/accounts/salon-certificate.service.ts';
import { reasonSchema } from '../../domains/memberships/membership-terms.schema.ts';
import { defaultVerificationExpiry, listPendingVerifications, rejectSalonVerification, verifySalon, verifySchema } from '../../domains/memberships/salon-verification.service.ts';
import { ValidationError } from '../../domains/shared/domain-error.ts';
import { auditByStaff } from '../../domains/staff/staff-actor.ts';
import { parseInput } from '../../platform/http/input.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { Field, type FieldErrors, FormErrors, type FormValues, formatDateTime, Notice, TextArea } from '../../platform/views/console-form.tsx';
import { CsrfField } from '../../platform/views/layout.tsx';
import { inOperator, operatorFormBody, operatorFrame } from './operator-guard.ts';
import { OperatorLayout, type OperatorPageFrame } from './operator-layout.tsx';
import { operatorNavRoles } from './operator-nav.ts';

type Pending = Awaited<ReturnType<typeof listPendingVerifications>>[number];
const NOTICES: Record<string, string> = { verified: 'サロンを確認済みにしました。', rejected: '確認不可として理由をメールで送ります。' };
const CERT_KINDS: Record<string, string> = { establishment: '美容所登録', license: '美容師免許', other: 'その他' };

function VerificationsPage(props: OperatorPageFrame & { pending: Pending[]; notice?: string; form?: { id: string; action: string; values: FormValues; errors: FieldErrors } }) {
  return (
    <OperatorLayout {...props} title="サロン確認" active="verifications">
      <Notice>{props.notice && NOTICES[props.notice]}</Notice>
      <p class="lead">提出されたサロン情報と書類を確認します。確認済みのサロンだけが各ショップで承認されます。</p>
      {props.pending.length === 0 && <p class="panel">確認待ちのサロンはありません。</p>}
      {props.pending.map(({ account: a, certificates, owner }) => {
        const form = props.form?.id === a.id ? props.form : undefined;
        return (
          <section class="panel" key={a.id} aria-labelledby={`salon-${a.id}`}>
            <h2 id={`salon-${a.id}`}>
              {a.company_name} <span class="muted">{a.salon_name}</span>
            </h2>
            <dl class="legal">
              <dt>代表者 / 管理美容師</dt>
              <dd>
                {a.representative_name} / {a.manager_name || '—'}
              </dd>
              <dt>美容所登録</dt>
              <dd>
                {a.establishment_health_center || '—'} {a.establishment_number} {a.establishment_date && `(${a.establishment_date})`}
              </dd>
              <dt>所在地</dt>
              <dd>
                〒{a.postal_code} {a.prefecture}
                {a.city}
                {a.address_line1} {a.address_line2}
              </dd>
              <dt>連絡先</dt>
              <dd>
                {a.phone} {owner && `/ ${owner.display_name} <${owner.email}>`}
              </dd>
              <dt>適格請求書</dt>
              <dd>{a.invoice_registration_number ?? '—'}</dd>
              <dt>提出日時</dt>
              <dd>{formatDateTime(a.verification_submitted_at)}</dd>
              <dt>書類</dt>
              <dd>
                {certificates.length === 0
                  ? '書類がありません'
                  : certificates.map((c) => (
                      <div key={c.id}>
                        <a href={`/operator/certificates/${c.id}`}>{c.original_name}</a> <span class="muted">({CERT_KINDS[c.kind] ?? c.kind}・{Math.ceil(c.size_bytes / 1024)}KB)</span>
                      </div>
                    ))}
              </dd>
            </dl>
            <div class="console-columns">
              <form method="post" action={`/operator/verifications/${a.id}/verify`}>
                <CsrfField token={props.csrfToken} />
                <FormErrors errors={form?.action === 'verify' ? form.errors : undefined} />
                <Field
                  name="expiresOn"
                  label="確認の有効期限"
                  type="date"
                  required
                  idPrefix={`verify-${a.id}`}
                  values={form?.action === 'verify' ? form.values : { expiresOn: defaultVerificationExpiry() }}
                  errors={form?.action === 'verify' ? form.errors : undefined}
                />
                <button type="submit">確認済みにする</button>
              </form>
              <form method="post" action={`/operator/verifications/${a.id}/reject`}>
                <CsrfField token={props.csrfToken} />
                <TextArea name="reason" label="確認できない理由(サロンにメールで送られます)" required idPrefix={`reject-${a.id}`} values={form?.action === 'reject' ? form.values : undefined} errors={form?.action === 'reject' ? form.errors : undefined} />
                <button type="submit" class="button--danger">
                  確認不可にする
                </button>
              </form>
            </div>
          </section>
        );
      })}
    </OperatorLayout>
  );
}

/** サロン確認: pending salon profiles with their documents; verify with an expiry, or reject with a reason. */
export function operatorVerificationRoutes(app: FastifyInstance, platform: Platform) {
  const roles = operatorNavRoles('verifications');
  const config = { staffRoles: roles };

  async function render(request: FastifyRequest, reply: FastifyReply, form?: { id: string; action: string; values: FormValues; errors: FieldErrors }) {
    const data = await inOperator(platform, request, roles, async ({ tx, principal }) => ({ principal, pending: await listPendingVerifications(tx) }));
    const done = (request.query as { done?: string }).done;
    return reply.page(<VerificationsPage {...operatorFrame(platform, request, data.principal)} pending={data.pending} notice={done && NOTICES[done] ? done : undefined} form={form} />, {
      page: 'operator-verifications',
      status: form ? 400 : 200,
    });
  }

  app.get('/operator/verifications', { config }, (request, reply) => render(request, reply));

  for (const action of ['verify', 'reject'] as const) {
    app.post(`/operator/verifications/:id/${action}`, { config }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = operatorFormBody(request);
      try {
        await inOperator(platform, request, roles, async ({ tx, actor }) => {
          if (action === 'verify') await verifySalon(tx, actor, id, parseInput(verifySchema, body).expiresOn);
          else await rejectSalonVerification(tx, actor, id, parseInput(reasonSchema, body).reason);
        });
        return reply.redirect(`/operator/verifications?done=${action === 'verify' ? 'verified' : 'rejected'}`, 303);
      } catch (err) {
        if (err instanceof ValidationError) return render(request, reply, { id, action, values: body, errors: { ...err.fieldErrors } });
        throw err;
      }
    });
  }

  app.get('/operator/certificates/:id', { config }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { meta, body } = await inOperator(platform, request, roles, async ({ tx, actor }) => {
      const cert = await openCertificate(tx, platform.config.dataDir, id);
      await auditByStaff(tx, actor, { action: 'certificate.download', resourceType: 'salon_certificate', resourceId: id, result: 'success', detail: { accountId: cert.meta.account_id } });
      return cert;
    });
    return reply.headers(certificateDownloadHeaders(meta)).send(body);
  });
}
