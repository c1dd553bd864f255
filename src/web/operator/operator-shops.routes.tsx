import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../domains/shared/domain-error.ts';
import { auditByStaff } from '../../domains/staff/staff-actor.ts';
import { LEGAL_FIELDS } from '../../domains/tenants/tenant-legal.ts';
import type { Tenant } from '../../platform/db/schema.ts';
import { parseInput } from '../../platform/http/input.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { formatDateTime, Notice } from '../../platform/views/console-form.tsx';
import { CsrfField } from '../../platform/views/layout.tsx';
import { inOperator, operatorFormBody, operatorFrame, UUID } from './operator-guard.ts';
import { OperatorLayout, type OperatorPageFrame } from './operator-layout.tsx';
import { operatorNavRoles } from './operator-nav.ts';

const STATUS_LABELS = { active: '公開中', suspended: '停止中', closed: '閉鎖' } as const;

const statusSchema = z.object({
  status: z.enum(['active', 'suspended'], { message: '状態を選んでください。' }),
  reason: z.string().trim().min(1, '理由を入力してください。').max(500, '理由は500文字以内で入力してください。'),
});

function ShopsPage(props: OperatorPageFrame & { shops: Tenant[]; notice?: boolean }) {
  return (
    <OperatorLayout {...props} title="ショップ" active="shops">
      <Notice>{props.notice && 'ショップの状態を変更しました。'}</Notice>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">ショップ一覧</caption>
          <thead>
            <tr>
              <th scope="col">ショップ</th>
              <th scope="col">運営会社</th>
              <th scope="col">状態</th>
              <th scope="col">作成日</th>
            </tr>
          </thead>
          <tbody>
            {props.shops.map((t) => (
              <tr key={t.id}>
                <td>
                  <a href={`/operator/shops/${t.id}`}>{t.display_name}</a>
                  <div class="muted">{t.slug}</div>
                </td>
                <td>{t.company_name}</td>
                <td>
                  <span class={`badge ${t.status === 'active' ? 'badge--ok' : 'badge--danger'}`}>{STATUS_LABELS[t.status]}</span>
                </td>
                <td>{formatDateTime(t.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </OperatorLayout>
  );
}

function ShopPage(props: OperatorPageFrame & { shop: Tenant; errors?: Record<string, string>; notice?: boolean }) {
  const t = props.shop;
  const legal = t.legal as unknown as Record<string, string>;
  return (
    <OperatorLayout {...props} title={t.display_name} active="shops">
      <Notice>{props.notice && 'ショップの状態を変更しました。'}</Notice>
      <p>
        <span class={`badge ${t.status === 'active' ? 'badge--ok' : 'badge--danger'}`}>{STATUS_LABELS[t.status]}</span> <span class="muted">{t.slug}</span>
      </p>
      <section class="panel" aria-labelledby="legal-h">
        <h2 id="legal-h">特定商取引法に基づく表記</h2>
        <dl class="legal">
          {LEGAL_FIELDS.flatMap(([key, label]) => [<dt key={`${key}-t`}>{label}</dt>, <dd key={`${key}-d`}>{legal[key] ?? ''}</dd>])}
        </dl>
      </section>
      {t.status !== 'closed' && (
        <section class="panel" aria-labelledby="status-h">
          <h2 id="status-h">{t.status === 'active' ? 'ショップを停止する' : 'ショップを再開する'}</h2>
          <form method="post" action={`/operator/shops/${t.id}/status`}>
            <CsrfField token={props.csrfToken} />
            <input type="hidden" name="status" value={t.status === 'active' ? 'suspended' : 'active'} />
            {props.errors && (
              <p class="alert alert--error" role="alert">
                {Object.values(props.errors)[0]}
              </p>
            )}
            <div class="field">
              <label for="shop-reason">
                理由<span class="required">必須</span>
              </label>
              <textarea id="shop-reason" name="reason" rows={2} required />
            </div>
            <button type="submit" class={t.status === 'active' ? 'button--danger' : undefined}>
              {t.status === 'active' ? '停止する' : '再開する'}
            </button>
          </form>
        </section>
      )}
    </OperatorLayout>
  );
}

/** ショップ: list, legal information, suspend / reinstate with a reason (audited). */
export function operatorShopRoutes(app: FastifyInstance, platform: Platform) {
  const roles = operatorNavRoles('shops');
  const config = { staffRoles: roles };

  app.get('/operator/shops', { config }, async (request, reply) => {
    const data = await inOperator(platform, request, roles, async ({ tx, principal }) => ({
      principal,
      shops: await tx.selectFrom('tenants').selectAll().orderBy('sort_order').orderBy('created_at').execute(),
    }));
    return reply.page(<ShopsPage {...operatorFrame(platform, request, data.principal)} shops={data.shops} notice={(request.query as { done?: string }).done === '1'} />, { page: 'operator-shops' });
  });

  const loadShop = (id: string) => {
    if (!UUID.test(id)) throw new NotFoundError();
    return id;
  };

  async function renderShop(request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string>) {
    const id = loadShop((request.params as { id: string }).id);
    const data = await inOperator(platform, request, roles, async ({ tx, principal }) => {
      const shop = await tx.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
      if (!shop) throw new NotFoundError('ショップが見つかりません。');
      return { principal, shop };
    });
    return reply.page(
      <ShopPage {...operatorFrame(platform, request, data.principal)} shop={data.shop} errors={errors} notice={(request.query as { done?: string }).done === '1'} />,
      { page: 'operator-shop', status: errors ? 400 : 200 },
    );
  }

  app.get('/operator/shops/:id', { config }, (request, reply) => renderShop(request, reply));

  app.post('/operator/shops/:id/status', { config }, async (request, reply) => {
    const id = loadShop((request.params as { id: string }).id);
    try {
      await inOperator(platform, request, roles, async ({ tx, actor }) => {
        const input = parseInput(statusSchema, operatorFormBody(request));
        const before = await tx.selectFrom('tenants').select('status').where('id', '=', id).where('status', '<>', 'closed').executeTakeFirst();
        if (!before) throw new NotFoundError('ショップが見つかりません。');
        await tx.updateTable('tenants').set({ status: input.status }).where('id', '=', id).execute();
        await auditByStaff(tx, actor, { action: 'tenant.status_change', resourceType: 'tenant', resourceId: id, result: 'success', reason: input.reason, detail: { from: before.status, to: input.status } });
      });
    } catch (err) {
      if (err instanceof ValidationError) return renderShop(request, reply, { ...err.fieldErrors });
      throw err;
    }
    return reply.redirect(`/operator/shops/${id}?done=1`, 303);
  });
}
