import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AuditChainCheck, listAudit, verifyAuditChain } from '../../domains/audit/audit.service.ts';
import { unsafeAcrossTenants } from '../../domains/operator/across-tenants.ts';
import { ValidationError } from '../../domains/shared/domain-error.ts';
import type { AuditRow } from '../../platform/db/schema.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { type FieldErrors, FormErrors } from '../../platform/views/console-form.tsx';
import { CsrfField } from '../../platform/views/layout.tsx';
import { AuditChainStatus, AuditTable } from '../admin/audit-log.view.tsx';
import { inOperator, operatorFormBody, operatorFrame, UUID } from './operator-guard.ts';
import { OperatorLayout, type OperatorPageFrame } from './operator-layout.tsx';
import { operatorNavRoles } from './operator-nav.ts';

const PAGE = 100;
const SHOP_ROWS = 30;

interface ShopChain {
  name: string;
  check: AuditChainCheck;
  rows: AuditRow[];
}

function OperatorAuditPage(
  props: OperatorPageFrame & { rows: AuditRow[]; check: AuditChainCheck; before?: number; shops: { id: string; display_name: string }[]; shopChains?: ShopChain[]; errors?: FieldErrors; values?: Record<string, string> },
) {
  const last = props.rows.at(-1);
  return (
    <OperatorLayout {...props} title="監査ログ" active="audit">
      <section class="panel" aria-labelledby="shop-audit-h">
        <h2 id="shop-audit-h">ショップの監査ログを検査・表示</h2>
        <form method="post" action="/operator/audit/shops">
          <CsrfField token={props.csrfToken} />
          <FormErrors errors={props.errors} />
          <div class="field">
            <label for="audit-tenant">ショップ</label>
            <select id="audit-tenant" name="tenant">
              <option value="all">すべてのショップ</option>
              {props.shops.map((s) => (
                <option key={s.id} value={s.id} selected={props.values?.tenant === s.id}>
                  {s.display_name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="audit-reason">
              理由<span class="required">必須</span>
            </label>
            <input id="audit-reason" name="reason" type="text" required value={props.values?.reason ?? ''} aria-invalid={props.errors?.reason ? 'true' : undefined} />
            {props.errors?.reason && <span class="field__error">{props.errors.reason}</span>}
          </div>
          <button type="submit">検査して表示</button>
        </form>
        {props.shopChains?.map((c) => (
          <section key={c.name} aria-label={c.name}>
            <h3>{c.name}</h3>
            <AuditChainStatus check={c.check} />
            <AuditTable rows={c.rows} caption={`${c.name} の監査ログ`} />
          </section>
        ))}
      </section>
      <section class="panel" aria-labelledby="platform-audit-h">
        <h2 id="platform-audit-h">運営の監査ログ</h2>
        <AuditChainStatus check={props.check} />
        <AuditTable rows={props.rows} caption="運営の監査ログ(新しい順)" />
        {props.rows.length === PAGE && last && (
          <p>
            <a href={`/operator/audit?before=${last.seq}`}>さらに古い記録</a>
          </p>
        )}
      </section>
    </OperatorLayout>
  );
}

/** 監査ログ: the platform chain directly; shop chains only through unsafeAcrossTenants with a reason. */
export function operatorAuditRoutes(app: FastifyInstance, platform: Platform) {
  const roles = operatorNavRoles('audit');
  const config = { staffRoles: roles };

  async function render(request: FastifyRequest, reply: FastifyReply, extra: { shopChains?: ShopChain[]; errors?: FieldErrors; values?: Record<string, string> } = {}) {
    const beforeRaw = (request.query as { before?: string }).before;
    const before = beforeRaw && /^\d{1,12}$/.test(beforeRaw) ? Number(beforeRaw) : undefined;
    const data = await inOperator(platform, request, roles, async ({ tx, principal }) => ({
      principal,
      rows: await listAudit(tx, { limit: PAGE, before }),
      check: await verifyAuditChain(tx),
      shops: await tx.selectFrom('tenants').select(['id', 'display_name']).orderBy('sort_order').execute(),
    }));
    return reply.page(<OperatorAuditPage {...operatorFrame(platform, request, data.principal)} rows={data.rows} check={data.check} shops={data.shops} {...extra} />, {
      page: 'operator-audit',
      status: extra.errors ? 400 : 200,
    });
  }

  app.get('/operator/audit', { config }, (request, reply) => render(request, reply));

  app.post('/operator/audit/shops', { config }, async (request, reply) => {
    const body = operatorFormBody(request);
    const { actor, shops } = await inOperator(platform, request, roles, async ({ tx, actor }) => ({ actor, shops: await tx.selectFrom('tenants').select(['id', 'display_name']).execute() }));
    try {
      const tenant = !body.tenant || body.tenant === 'all' ? 'all' : body.tenant;
      if (tenant !== 'all' && !UUID.test(tenant)) throw new ValidationError({ tenant: 'ショップを選んでください。' });
      const reason = (body.reason ?? '').trim();
      if (!reason || reason.length > 500) throw new ValidationError({ reason: '理由を500文字以内で入力してください。' });
      const results = await unsafeAcrossTenants(
        platform.database,
        { actor: { type: 'operator', id: actor.id, label: actor.label }, reason: `監査ログの確認: ${reason}`, tenantIds: tenant === 'all' ? 'all' : [tenant] },
        async (_id, tx) => ({ check: await verifyAuditChain(tx), rows: await listAudit(tx, { limit: SHOP_ROWS }) }),
      );
      const names = new Map(shops.map((s) => [s.id, s.display_name]));
      const shopChains = [...results.entries()].map(([id, r]) => ({ name: names.get(id) ?? id, ...r }));
      return render(request, reply, { shopChains, values: body });
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { errors: { ...err.fieldErrors }, values: body });
      throw err;
    }
  });
}
