import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { unsafeAcrossTenants } from '../../domains/operator/across-tenants.ts';
import { ValidationError } from '../../domains/shared/domain-error.ts';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { type FieldErrors, FormErrors, formatDateTime } from '../../platform/views/console-form.tsx';
import { CsrfField } from '../../platform/views/layout.tsx';
import { inOperator, operatorFormBody, operatorFrame, UUID } from './operator-guard.ts';
import { OperatorLayout, type OperatorPageFrame } from './operator-layout.tsx';
import { operatorNavRoles } from './operator-nav.ts';

const MAIL_LIMIT = 100;

interface MailRow {
  id: string;
  to_address: string;
  subject: string;
  body_text: string;
  transport: string;
  created_at: Date;
}
interface PendingRow {
  id: string;
  kind: string;
  created_at: Date;
  attempts: number;
  last_error: string | null;
}

function loadMail(tx: Tx) {
  return Promise.all([
    tx.selectFrom('mail_messages').select(['id', 'to_address', 'subject', 'body_text', 'transport', 'created_at']).orderBy('created_at', 'desc').limit(MAIL_LIMIT).execute(),
    tx.selectFrom('outbox').select(['id', 'kind', 'created_at', 'attempts', 'last_error']).where('delivered_at', 'is', null).orderBy('created_at').limit(MAIL_LIMIT).execute(),
  ]);
}

function MailList(props: { mails: MailRow[]; pending: PendingRow[]; label: string }) {
  return (
    <>
      <h3>未送信の処理({props.pending.length}件)</h3>
      {props.pending.length > 0 && (
        <ul>
          {props.pending.map((p) => (
            <li key={p.id}>
              <code>{p.kind}</code> {formatDateTime(p.created_at)} 試行 {p.attempts}回 {p.last_error && <span class="field__error">{p.last_error}</span>}
            </li>
          ))}
        </ul>
      )}
      <h3>送信済み({props.mails.length}件、新しい順)</h3>
      {props.mails.length === 0 ? (
        <p class="muted">ありません。</p>
      ) : (
        props.mails.map((m) => (
          <details key={m.id} class="console-mail">
            <summary>
              {formatDateTime(m.created_at)} — {m.to_address} — {m.subject} <span class="badge">{m.transport === 'console' ? '未送信(SMTP未設定)' : 'SMTP'}</span>
            </summary>
            <pre class="console-pre">
              {m.body_text}
            </pre>
          </details>
        ))
      )}
    </>
  );
}

function MailPage(
  props: OperatorPageFrame & {
    platformMail: { mails: MailRow[]; pending: PendingRow[] };
    shops: { id: string; display_name: string }[];
    shopMail?: { name: string; mails: MailRow[]; pending: PendingRow[] }[];
    errors?: FieldErrors;
    values?: Record<string, string>;
  },
) {
  return (
    <OperatorLayout {...props} title="送信メール" active="mail">
      <p class="lead">SMTP が設定されていない環境では、送るはずだったメールはここにだけ残ります。</p>
      <section class="panel" aria-labelledby="platform-mail-h">
        <h2 id="platform-mail-h">運営からのメール</h2>
        <MailList {...props.platformMail} label="運営" />
      </section>
      <section class="panel" aria-labelledby="shop-mail-h">
        <h2 id="shop-mail-h">ショップのメールを見る</h2>
        <p class="muted">ショップのデータを見ることになるため、理由を記録します(監査ログに残ります)。</p>
        <form method="post" action="/operator/mail/shops">
          <CsrfField token={props.csrfToken} />
          <FormErrors errors={props.errors} />
          <div class="field">
            <label for="mail-tenant">ショップ</label>
            <select id="mail-tenant" name="tenant">
              <option value="all">すべてのショップ</option>
              {props.shops.map((s) => (
                <option key={s.id} value={s.id} selected={props.values?.tenant === s.id}>
                  {s.display_name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="mail-reason">
              理由<span class="required">必須</span>
            </label>
            <input id="mail-reason" name="reason" type="text" required value={props.values?.reason ?? ''} aria-invalid={props.errors?.reason ? 'true' : undefined} />
            {props.errors?.reason && <span class="field__error">{props.errors.reason}</span>}
          </div>
          <button type="submit">表示する</button>
        </form>
        {props.shopMail?.map((s) => (
          <section key={s.name} aria-label={s.name}>
            <h3>{s.name}</h3>
            <MailList mails={s.mails} pending={s.pending} label={s.name} />
          </section>
        ))}
      </section>
    </OperatorLayout>
  );
}

/** 送信メール: the platform's mail directly; a shop's mail only through unsafeAcrossTenants with a reason. */
export function operatorMailRoutes(app: FastifyInstance, platform: Platform) {
  const roles = operatorNavRoles('mail');
  const config = { staffRoles: roles };

  async function render(request: FastifyRequest, reply: FastifyReply, extra: { shopMail?: { name: string; mails: MailRow[]; pending: PendingRow[] }[]; errors?: FieldErrors; values?: Record<string, string> } = {}) {
    const data = await inOperator(platform, request, roles, async ({ tx, principal }) => {
      const [mails, pending] = await loadMail(tx);
      const shops = await tx.selectFrom('tenants').select(['id', 'display_name']).orderBy('sort_order').execute();
      return { principal, platformMail: { mails, pending }, shops };
    });
    return reply.page(<MailPage {...operatorFrame(platform, request, data.principal)} platformMail={data.platformMail} shops={data.shops} {...extra} />, {
      page: 'operator-mail',
      status: extra.errors ? 400 : 200,
    });
  }

  app.get('/operator/mail', { config }, (request, reply) => render(request, reply));

  app.post('/operator/mail/shops', { config }, async (request, reply) => {
    const body = operatorFormBody(request);
    const { actor, shops } = await inOperator(platform, request, roles, async ({ tx, actor }) => ({
      actor,
      shops: await tx.selectFrom('tenants').select(['id', 'display_name']).execute(),
    }));
    const tenant = body.tenant === 'all' || !body.tenant ? 'all' : body.tenant;
    try {
      if (tenant !== 'all' && !UUID.test(tenant)) throw new ValidationError({ tenant: 'ショップを選んでください。' });
      const reason = (body.reason ?? '').trim();
      if (!reason || reason.length > 500) throw new ValidationError({ reason: '理由を500文字以内で入力してください。' });
      const results = await unsafeAcrossTenants(
        platform.database,
        { actor: { type: 'operator', id: actor.id, label: actor.label }, reason: `送信メールの確認: ${reason}`, tenantIds: tenant === 'all' ? 'all' : [tenant] },
        async (_tenantId, tx) => loadMail(tx),
      );
      const names = new Map(shops.map((s) => [s.id, s.display_name]));
      const shopMail = [...results.entries()].map(([id, [mails, pending]]) => ({ name: names.get(id) ?? id, mails, pending }));
      return render(request, reply, { shopMail, values: body });
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { errors: { ...err.fieldErrors }, values: body });
      throw err;
    }
  });
}
