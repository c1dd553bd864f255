import type { Database } from '../../platform/db/database.ts';
import type { PdfIssuer } from '../../platform/pdf/pdf-layout.ts';
import { cardCompanyCsv } from './card-company.csv.ts';
import { getIncident, type IncidentView } from './incident.service.ts';
import { asOperator, type IncidentActor } from './incident-actor.ts';
import {
  type IncidentFacts,
  type LetterFields,
  memberLetterText,
  ppcReportText,
  publicNoticeText,
  renderMemberLetter,
  renderPpcReport,
  renderPublicNotice,
  renderShopNotice,
  type ShopFacts,
  shopNoticeText,
} from './incident-documents.pdf.ts';
import { issueDocument } from './incident-documents.service.ts';
import { computeIncidentScope, type ScopeContact, type ShopScope } from './incident-scope.query.ts';
import { formatJst } from './jst.ts';

export interface ProducedDocument {
  kind: string;
  tenantId: string | null;
  title: string;
  path: string;
  id: string;
}

const STATUS_LABELS: Record<string, string> = { succeeded: '決済完了', failed: '決済失敗', abandoned: '決済中断', refunded: '返金済み', partially_refunded: '一部返金', started: '決済開始', pending: '処理中', authorized: '与信済み', cancelled: '取消' };

function exposureLines(person: ShopScope['cardPayers'][number] | ShopScope['pageViewOnly'][number]): string[] {
  if ('attempts' in person) {
    return person.attempts.map((a) => `${formatJst(a.startedAt)} カード決済(${a.cardBrand ?? 'ブランド不明'} 下4桁 ${a.cardLast4 ?? '----'}、${STATUS_LABELS[a.status] ?? a.status})`);
  }
  return [`${formatJst(person.firstViewAt)} ほか 決済画面を${person.views}回表示(カード情報を入力された場合、漏えいのおそれがあります)`];
}

export function incidentFacts(view: IncidentView): IncidentFacts {
  const i = view.incident;
  return { number: i.number, summary: i.summary, cause: i.cause, dataItems: i.data_items, secondaryDamage: i.secondary_damage, prevention: i.prevention, inquiryDesk: i.inquiry_desk, awareAt: i.aware_at };
}

/**
 * Produces every document of an incident from its current scope: a letter per affected member,
 * per shop a public notice, the operator's notice to the shop company and the card-company CSV,
 * and the PPC report as 速報 and 確報. Each is a new version (sent ones are never touched).
 */
export async function produceIncidentDocuments(database: Database, dataDir: string, actor: IncidentActor, incidentId: string, now = new Date()): Promise<ProducedDocument[]> {
  const view = await getIncident(database, actor, incidentId, now);
  const scopes = await computeIncidentScope(database, actor, view, undefined, { orderNumbers: true });
  const facts = incidentFacts(view);
  const operator = await asOperator(database, actor, (tx) => tx.selectFrom('platform_operator').selectAll().executeTakeFirstOrThrow());
  const issuer: PdfIssuer = { name: operator.company_name, postalCode: operator.postal_code, addressLines: [operator.address], phone: operator.phone, email: operator.email };
  const produced: ProducedDocument[] = [];
  const shopFacts: ShopFacts[] = [];

  for (const shop of view.shops) {
    const scope = scopes.get(shop.tenantId)!;
    const shopFact: ShopFacts = {
      shopName: shop.displayName,
      companyName: shop.companyName,
      windowStart: shop.windowStart,
      windowEnd: shop.windowEnd,
      affectedCount: scope.counts.members,
      contact: facts.inquiryDesk || `${operator.company_name} ${operator.phone} ${operator.email}`,
    };
    shopFacts.push(shopFact);
    // Render outside the transaction (PDF work is CPU, not database), then record in one go.
    const letters: { person: ScopeContact; fields: LetterFields; pdf: Buffer; text: string }[] = [];
    for (const person of [...scope.cardPayers, ...scope.pageViewOnly]) {
      const fields = {
        incident: facts,
        shop: shopFact,
        member: { companyName: person.companyName, contactName: person.contactName, postalCode: person.postalCode, address: person.postalMissing ? '' : person.address, email: person.email },
        exposure: exposureLines(person),
        issuer,
        issuedOn: now,
      };
      letters.push({ person, fields, pdf: await renderMemberLetter(fields), text: memberLetterText(fields) });
    }
    const notice = await renderPublicNotice(facts, shopFact, now);
    const shopNotice = await renderShopNotice(facts, shopFact, { company: operator.company_name, securityContact: operator.security_contact }, now);
    await asOperator(database, actor, async (tx) => {
      for (const l of letters) {
        const doc = await issueDocument(tx, dataDir, actor, {
          incidentId,
          tenantId: shop.tenantId,
          kind: 'member_letter',
          recipientKey: l.person.accountId ?? '',
          title: `個人情報漏えいに関するお知らせとお詫び(${l.person.companyName})`,
          bodyText: l.text,
          fields: { ...l.fields, postalMissing: l.person.postalMissing, email: l.person.email },
          fileName: `letter-${shop.slug}-${l.person.accountId}.pdf`,
          contentType: 'application/pdf',
          content: l.pdf,
        });
        produced.push({ kind: 'member_letter', tenantId: shop.tenantId, title: l.person.companyName, path: doc.path, id: doc.id });
      }
      const n = await issueDocument(tx, dataDir, actor, {
        incidentId,
        tenantId: shop.tenantId,
        kind: 'public_notice',
        title: `${shop.displayName} 個人情報漏えいに関するお詫びとお知らせ`,
        bodyText: publicNoticeText(facts, shopFact, now),
        fields: { shop: shopFact },
        fileName: `notice-${shop.slug}.pdf`,
        contentType: 'application/pdf',
        content: notice,
      });
      produced.push({ kind: 'public_notice', tenantId: shop.tenantId, title: shop.displayName, path: n.path, id: n.id });
      const s = await issueDocument(tx, dataDir, actor, {
        incidentId,
        tenantId: shop.tenantId,
        kind: 'shop_notice',
        title: `個人データの漏えいのおそれに関するご報告(${shop.companyName})`,
        bodyText: shopNoticeText(facts, shopFact, { company: operator.company_name, securityContact: operator.security_contact }, now),
        fields: { shop: shopFact },
        fileName: `shop-notice-${shop.slug}.pdf`,
        contentType: 'application/pdf',
        content: shopNotice,
      });
      produced.push({ kind: 'shop_notice', tenantId: shop.tenantId, title: shop.companyName, path: s.path, id: s.id });
      const c = await issueDocument(tx, dataDir, actor, {
        incidentId,
        tenantId: shop.tenantId,
        kind: 'card_company_csv',
        title: `カード会社・アクワイアラ向け 対象取引一覧(${shop.displayName})`,
        fields: { attempts: scope.counts.cardAttempts },
        fileName: `card-payments-${shop.slug}.csv`,
        contentType: 'text/csv; charset=utf-8',
        content: cardCompanyCsv([{ shopName: shop.displayName, merchantName: shop.companyName, scope }]),
      });
      produced.push({ kind: 'card_company_csv', tenantId: shop.tenantId, title: shop.displayName, path: c.path, id: c.id });
    });
  }

  for (const stage of ['preliminary', 'final'] as const) {
    const fields = {
      incident: facts,
      stage,
      operator: { company: operator.company_name, representative: operator.representative, address: `〒${operator.postal_code} ${operator.address}`, phone: operator.phone },
      shops: shopFacts,
      lettersSent: 0,
      noticesPublished: 0,
      reportedOn: now,
    };
    const pdf = await renderPpcReport(fields);
    const doc = await asOperator(database, actor, (tx) =>
      issueDocument(tx, dataDir, actor, {
        incidentId,
        tenantId: null,
        kind: stage === 'preliminary' ? 'ppc_preliminary' : 'ppc_final',
        title: `漏えい等報告(${stage === 'preliminary' ? '速報' : '確報'})`,
        bodyText: ppcReportText(fields),
        fields: { stage, shops: shopFacts },
        fileName: `ppc-${stage}.pdf`,
        contentType: 'application/pdf',
        content: pdf,
      }),
    );
    produced.push({ kind: stage === 'preliminary' ? 'ppc_preliminary' : 'ppc_final', tenantId: null, title: stage, path: doc.path, id: doc.id });
  }
  return produced;
}
