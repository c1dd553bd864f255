import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createPriceRank, listPriceRanks, priceRankSchema, updatePriceRank } from '../../domains/memberships/price-rank.service.ts';
import { ValidationError } from '../../domains/shared/domain-error.ts';
import { parseInput } from '../../platform/http/input.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { Field, type FieldErrors, FormErrors, type FormValues, Notice } from '../../platform/views/console-form.tsx';
import { CsrfField } from '../../platform/views/layout.tsx';
import { formBody, frameOf, inAdmin } from './admin-guard.ts';
import { AdminLayout, type AdminPageFrame, adminBase } from './admin-layout.tsx';
import { navRoles } from './admin-nav.ts';

type Rank = { id: string; code: string; name: string; rate: string; sort_order: number };

function RankForm(props: { action: string; csrfToken: string; values: FormValues; errors?: FieldErrors; prefix: string; submit: string }) {
  const p = { values: props.values, errors: props.errors, idPrefix: props.prefix };
  return (
    <form method="post" action={props.action} class="console-inline-form">
      <CsrfField token={props.csrfToken} />
      <FormErrors errors={props.errors} />
      <div class="console-row">
        <Field {...p} name="code" label="コード" required hint="例: gold" />
        <Field {...p} name="name" label="ランク名" required />
        <Field {...p} name="rate" label="掛け率" required inputMode="decimal" hint="0より大きく1以下(例: 0.75 = 定価の75%)" />
        <Field {...p} name="sortOrder" label="表示順" inputMode="numeric" />
      </div>
      <button type="submit">{props.submit}</button>
    </form>
  );
}

function RanksPage(props: AdminPageFrame & { ranks: Rank[]; notice?: boolean; form?: { id: string | null; values: FormValues; errors: FieldErrors } }) {
  const base = `${adminBase(props.shop.slug)}/ranks`;
  return (
    <AdminLayout {...props} title="価格ランク" active="ranks">
      <Notice>{props.notice && '価格ランクを保存しました。'}</Notice>
      <p class="lead">会員ごとのランクで、定価に掛ける掛け率が決まります。</p>
      {props.ranks.map((r) => (
        <section class="panel" key={r.id} aria-label={`ランク ${r.name}`}>
          <h2>
            {r.name} <span class="muted">({r.code}・掛け率 {Number(r.rate)})</span>
          </h2>
          <RankForm
            action={`${base}/${r.id}`}
            csrfToken={props.csrfToken}
            prefix={`rank-${r.code}`}
            submit="変更を保存"
            values={props.form?.id === r.id ? props.form.values : { code: r.code, name: r.name, rate: String(Number(r.rate)), sortOrder: String(r.sort_order) }}
            errors={props.form?.id === r.id ? props.form.errors : undefined}
          />
        </section>
      ))}
      <section class="panel" aria-labelledby="new-rank-h">
        <h2 id="new-rank-h">ランクを追加</h2>
        <RankForm
          action={base}
          csrfToken={props.csrfToken}
          prefix="new-rank"
          submit="追加する"
          values={props.form?.id === null ? props.form.values : { sortOrder: String((props.ranks.at(-1)?.sort_order ?? 0) + 10) }}
          errors={props.form?.id === null ? props.form.errors : undefined}
        />
      </section>
    </AdminLayout>
  );
}

/** 価格ランク: list, add, edit (shop admins). */
export function adminRankRoutes(app: FastifyInstance, platform: Platform) {
  const roles = navRoles('ranks');
  const config = { staffRoles: roles };

  async function render(request: FastifyRequest, reply: FastifyReply, form?: { id: string | null; values: FormValues; errors: FieldErrors }) {
    const data = await inAdmin(platform, request, roles, async (s) => ({ ...s, ranks: (await listPriceRanks(s.tx)) as Rank[] }));
    const notice = (request.query as { done?: string }).done === '1';
    return reply.page(<RanksPage {...frameOf(platform, request, data)} ranks={data.ranks} notice={notice} form={form} />, { page: 'admin-ranks', status: form ? 400 : 200 });
  }

  app.get('/ranks', { config }, (request, reply) => render(request, reply));

  const save = (id: string | null) => async (request: FastifyRequest, reply: FastifyReply) => {
    const body = formBody(request);
    try {
      const slug = await inAdmin(platform, request, roles, async (s) => {
        const input = parseInput(priceRankSchema, body);
        if (id === null) await createPriceRank(s.tx, s.actor, s.tenant.id, input);
        else await updatePriceRank(s.tx, s.actor, id, input);
        return s.tenant.slug;
      });
      return reply.redirect(`${adminBase(slug)}/ranks?done=1`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { id, values: body, errors: { ...err.fieldErrors } });
      throw err;
    }
  };
  app.post('/ranks', { config }, save(null));
  app.post('/ranks/:id', { config }, (request, reply) => save((request.params as { id: string }).id)(request, reply));
}
