import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { certificateDownloadHeaders, openCertificate } from '../../domains/accounts/salon-certificate.service.ts';
import {
  approveMembership,
  exportMemberRows,
  getMembershipDetail,
  listMemberships,
  reinstateMembership,
  rejectMembership,
  suspendMembership,
  updateMembershipTerms,
} from '../../domains/memberships/membership.service.ts';
import { membershipTermsSchema, reasonSchema } from '../../domains/memberships/membership-terms.schema.ts';
import { listPriceRanks } from '../../domains/memberships/price-rank.service.ts';
import { ValidationError } from '../../domains/shared/domain-error.ts';
import { auditByStaff } from '../../domains/staff/staff-actor.ts';
import { requireStepUp } from '../../platform/http/auth-guard.ts';
import { parseInput } from '../../platform/http/input.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { type AdminScope, formBody, frameOf, inAdmin } from './admin-guard.ts';
import { adminBase } from './admin-layout.tsx';
import { MembershipDetailPage, MembershipListPage } from './admin-memberships.view.tsx';
import { navRoles } from './admin-nav.ts';

const NOTICE = /^[a-z]{1,20}$/;

function noticeOf(request: FastifyRequest): string | undefined {
  const n = (request.query as { done?: string }).done;
  return n && NOTICE.test(n) ? n : undefined;
}

/** The application queue, members, decisions, their documents and the member export. */
export function adminMembershipRoutes(app: FastifyInstance, platform: Platform) {
  const roles = navRoles('applications');
  const config = { staffRoles: roles };

  for (const kind of ['applications', 'members'] as const) {
    app.get(`/${kind}`, { config }, async (request, reply) => {
      const data = await inAdmin(platform, request, roles, async (s) => ({
        ...s,
        items: await listMemberships(s.tx, kind === 'applications' ? ['applied'] : ['approved', 'suspended']),
      }));
      return reply.page(<MembershipListPage {...frameOf(platform, request, data)} kind={kind} items={data.items} notice={noticeOf(request)} />, { page: `admin-${kind}` });
    });
  }

  async function renderDetail(request: FastifyRequest, reply: FastifyReply, form?: { action: string; values: Record<string, string>; errors: Record<string, string> }) {
    const { id } = request.params as { id: string };
    const data = await inAdmin(platform, request, roles, async (s) => ({ ...s, detail: await getMembershipDetail(s.tx, id), ranks: await listPriceRanks(s.tx) }));
    return reply.page(<MembershipDetailPage {...frameOf(platform, request, data)} detail={data.detail} ranks={data.ranks} notice={noticeOf(request)} form={form} />, {
      page: 'admin-membership',
      status: form ? 400 : 200,
    });
  }

  app.get('/memberships/:id', { config }, (request, reply) => renderDetail(request, reply));

  const decisions = {
    approve: {
      done: 'approved',
      run: (s: AdminScope, id: string, body: Record<string, string>) => approveMembership(s.tx, s.actor, id, parseInput(membershipTermsSchema, body)),
    },
    reject: {
      done: 'rejected',
      run: (s: AdminScope, id: string, body: Record<string, string>) =>
        rejectMembership(s.tx, s.actor, id, parseInput(reasonSchema, body).reason, s.tenant.display_name),
    },
    suspend: {
      done: 'suspended',
      run: (s: AdminScope, id: string, body: Record<string, string>) => suspendMembership(s.tx, s.actor, id, parseInput(reasonSchema, body).reason),
    },
    reinstate: { done: 'reinstated', run: (s: AdminScope, id: string) => reinstateMembership(s.tx, s.actor, id) },
    terms: {
      done: 'terms',
      run: (s: AdminScope, id: string, body: Record<string, string>) => updateMembershipTerms(s.tx, s.actor, id, parseInput(membershipTermsSchema, body)),
    },
  } as const;

  for (const [action, decision] of Object.entries(decisions)) {
    app.post(`/memberships/:id/${action}`, { config }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = formBody(request);
      try {
        const slug = await inAdmin(platform, request, roles, async (s) => {
          await decision.run(s, id, body);
          return s.tenant.slug;
        });
        return reply.redirect(`${adminBase(slug)}/memberships/${id}?done=${decision.done}`, 303);
      } catch (err) {
        if (err instanceof ValidationError) return renderDetail(request, reply, { action, values: body, errors: { ...err.fieldErrors } });
        throw err;
      }
    });
  }

  app.get('/members/export.csv', { config }, async (request, reply) => {
    const data = await inAdmin(platform, request, roles, async (s) => {
      requireStepUp(s.principal, request.url);
      const rows = await exportMemberRows(s.tx);
      await auditByStaff(s.tx, s.actor, { action: 'membership.export', resourceType: 'membership', resourceId: 'all', result: 'success', detail: { rows: rows.length } });
      return { rows, slug: s.tenant.slug };
    });
    const csv = stringify(
      data.rows.map((r) => [
        r.customer_code,
        r.company_name,
        r.salon_name,
        r.representative_name,
        r.owner_email ?? '',
        r.phone,
        r.postal_code,
        `${r.prefecture}${r.city}${r.address_line1}${r.address_line2 ? ` ${r.address_line2}` : ''}`,
        r.status === 'approved' ? '承認済み' : '停止中',
        r.rank_code ?? '',
        r.invoice_terms_enabled ? '有' : '無',
        r.credit_limit_yen,
        r.closing_day,
        r.payment_month_offset,
        r.payment_day,
      ]),
      {
        header: true,
        columns: ['得意先コード', '会社名', 'サロン名', '代表者', 'メールアドレス', '電話番号', '郵便番号', '住所', '状態', 'ランクコード', '掛け払い', '与信限度額', '締め日', '支払月', '支払日'],
        record_delimiter: '\r\n',
        // A cell starting with = + - @ would be a formula when opened in a spreadsheet.
        cast: { string: (v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v) },
      },
    );
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="members-${data.slug}.csv"`)
      .send(`\ufeff${csv}`);
  });

  app.get('/certificates/:id', { config }, async (request, reply) => {
    const { id } = request.params as { id: string };
    // The row is found only if this shop's scope may see it: the salon applied to this shop.
    const { meta, body } = await inAdmin(platform, request, roles, async (s) => {
      const cert = await openCertificate(s.tx, platform.config.dataDir, id);
      await auditByStaff(s.tx, s.actor, { action: 'certificate.download', resourceType: 'salon_certificate', resourceId: id, result: 'success', detail: { accountId: cert.meta.account_id } });
      return cert;
    });
    return reply.headers(certificateDownloadHeaders(meta)).send(body);
  });
}
