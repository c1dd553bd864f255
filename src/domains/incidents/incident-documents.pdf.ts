import { renderPdf } from '../../platform/pdf/pdf-document.ts';
import { drawAddressBlock, drawPageFooters, drawParagraph, drawSectionHeading, drawTitleBlock, type PdfIssuer } from '../../platform/pdf/pdf-layout.ts';
import { formatJst, formatJstDate } from './jst.ts';

/**
 * The incident's Japanese documents, printable A4 with the embedded Noto Sans JP. One common
 * template per kind; per-shop and per-member fields are merged in (the fields are stored with
 * the issued document).
 */

export interface IncidentFacts {
  number: string;
  summary: string;
  cause: string;
  dataItems: string[];
  secondaryDamage: string;
  prevention: string;
  inquiryDesk: string;
  awareAt: Date;
}

export interface ShopFacts {
  shopName: string;
  companyName: string;
  windowStart: Date;
  windowEnd: Date;
  affectedCount: number;
  contact: string;
}

export interface LetterFields {
  incident: IncidentFacts;
  shop: ShopFacts;
  member: { companyName: string; contactName: string; postalCode: string; address: string; email: string };
  /** What this member did in the window: card attempts (brand/last four) or page loads. */
  exposure: string[];
  issuer: PdfIssuer;
  issuedOn: Date;
}

const windowText = (s: ShopFacts) => `${formatJst(s.windowStart)} 〜 ${formatJst(s.windowEnd)}`;

/** 本人通知: what happened, which items, cause, possible secondary damage and what to check, inquiry desk. */
export function memberLetterText(f: LetterFields): string {
  return [
    `${f.member.companyName}`,
    `${f.member.contactName} 様`,
    '',
    `${f.shop.shopName}(${f.shop.companyName})をご利用いただき、誠にありがとうございます。`,
    'このたび、弊社が運営するサイトにおいて、お客様の個人情報が漏えいした可能性があることが判明しました。多大なるご迷惑とご心配をおかけしますことを、深くお詫び申し上げます。',
    '',
    '1. 発生した事象',
    f.incident.summary || '第三者による不正アクセスにより、決済画面が改ざんされていました。',
    `対象期間: ${windowText(f.shop)}`,
    '',
    '2. 漏えいのおそれがある情報',
    ...f.incident.dataItems.map((i) => `・${i}`),
    '',
    '3. お客様のご利用状況',
    ...f.exposure.map((e) => `・${e}`),
    '',
    '4. 原因',
    f.incident.cause || '調査中です。判明次第お知らせいたします。',
    '',
    '5. 二次被害のおそれとお願い',
    f.incident.secondaryDamage || 'カードの不正利用、フィッシングメールのおそれがあります。',
    'お手元のカードのご利用明細に身に覚えのない請求がないかご確認ください。不審な請求があった場合は、カード裏面のカード会社へご連絡ください。カードの差し替えをご希望の場合も、カード会社へお申し付けください(手数料はかかりません)。',
    '',
    '6. お問い合わせ窓口',
    f.incident.inquiryDesk || f.shop.contact,
    '',
    `${formatJstDate(f.issuedOn)}`,
    `${f.issuer.name}`,
  ].join('\n');
}

export function renderMemberLetter(f: LetterFields): Promise<Buffer> {
  return renderPdf({ title: `個人情報漏えいに関するお知らせとお詫び(${f.incident.number})`, author: f.issuer.name }, (doc) => {
    drawAddressBlock(doc, {
      recipient: { name: f.member.companyName, honorific: '御中', postalCode: f.member.postalCode || undefined, addressLines: f.member.address ? [f.member.address] : [], contactName: f.member.contactName },
      issuer: f.issuer,
    });
    drawTitleBlock(doc, { title: '個人情報漏えいに関するお知らせとお詫び', meta: [['発行日', formatJstDate(f.issuedOn)], ['管理番号', f.incident.number]] });
    drawParagraph(doc, `${f.member.contactName} 様`);
    for (const block of memberLetterText(f).split('\n\n').slice(1)) drawParagraph(doc, block);
    drawPageFooters(doc);
  });
}

/** 公表文: one common template per shop, fields merged. */
export function publicNoticeText(incident: IncidentFacts, shop: ShopFacts, publishedOn: Date): string {
  return [
    `${shop.shopName}への不正アクセスによる個人情報漏えいに関するお詫びとお知らせ`,
    '',
    `このたび、${shop.companyName}が運営する「${shop.shopName}」において、第三者による不正アクセスを受け、お客様のクレジットカード情報等(${shop.affectedCount}名様分)が漏えいした可能性があることが判明いたしました。`,
    'お客様をはじめ関係者の皆様に多大なるご迷惑とご心配をおかけしますことを、深くお詫び申し上げます。',
    '',
    '1. 経緯',
    incident.summary,
    '',
    '2. 漏えいのおそれがある期間',
    windowText(shop),
    '',
    '3. 漏えいのおそれがある情報',
    incident.dataItems.join('、'),
    '',
    '4. 対象のお客様の数',
    `${shop.affectedCount}名`,
    '',
    '5. 原因',
    incident.cause,
    '',
    '6. お客様へのお願い',
    'クレジットカードのご利用明細に身に覚えのない請求がないか、ご確認をお願いいたします。対象のお客様には、個別にご連絡しております。',
    '',
    '7. 再発防止策',
    incident.prevention,
    '',
    '8. お問い合わせ窓口',
    incident.inquiryDesk || shop.contact,
    '',
    `${formatJstDate(publishedOn)}`,
    shop.companyName,
  ].join('\n');
}

function renderTextDocument(title: string, author: string, text: string): Promise<Buffer> {
  return renderPdf({ title, author }, (doc) => {
    const [heading, ...rest] = text.split('\n\n');
    drawTitleBlock(doc, { title: heading!.split('\n')[0]!, meta: [] });
    for (const block of rest) {
      const [first, ...lines] = block.split('\n');
      if (/^\d+\. /.test(first!)) {
        drawSectionHeading(doc, first!);
        if (lines.length) drawParagraph(doc, lines.join('\n'));
      } else drawParagraph(doc, block);
    }
    drawPageFooters(doc);
  });
}

export function renderPublicNotice(incident: IncidentFacts, shop: ShopFacts, publishedOn: Date): Promise<Buffer> {
  return renderTextDocument(`${shop.shopName} 個人情報漏えいに関するお詫びとお知らせ`, shop.companyName, publicNoticeText(incident, shop, publishedOn));
}

export const PPC_ITEMS = [
  '概要',
  '漏えい等が発生し又は発生したおそれがある個人データの項目',
  '漏えい等が発生し又は発生したおそれがある個人データに係る本人の数',
  '原因',
  '二次被害又はそのおそれの有無及びその内容',
  '本人への対応の実施状況',
  '公表の実施状況',
  '再発防止のための措置',
  'その他参考となる事項',
] as const;

export interface PpcFields {
  incident: IncidentFacts;
  stage: 'preliminary' | 'final';
  operator: { company: string; representative: string; address: string; phone: string };
  shops: ShopFacts[];
  lettersSent: number;
  noticesPublished: number;
  reportedOn: Date;
}

/** 個人情報保護委員会への報告(速報/確報): the nine items of 施行規則第8条第1項. */
export function ppcReportText(f: PpcFields): string {
  const total = f.shops.reduce((n, s) => n + s.affectedCount, 0);
  const stage = f.stage === 'preliminary' ? '速報' : '確報';
  const pending = f.stage === 'preliminary' ? '(調査中。確報にて報告します)' : '';
  const values: Record<(typeof PPC_ITEMS)[number], string> = {
    概要: `${f.incident.summary}\n認知日時: ${formatJst(f.incident.awareAt)}\n対象ショップ: ${f.shops.map((s) => `${s.shopName}(${s.companyName}) ${windowText(s)}`).join(' / ')}`,
    '漏えい等が発生し又は発生したおそれがある個人データの項目': f.incident.dataItems.join('、'),
    '漏えい等が発生し又は発生したおそれがある個人データに係る本人の数': `${total}名(内訳: ${f.shops.map((s) => `${s.shopName} ${s.affectedCount}名`).join('、')})${pending}`,
    原因: `${f.incident.cause}${pending}`,
    '二次被害又はそのおそれの有無及びその内容': f.incident.secondaryDamage || 'クレジットカードの不正利用のおそれ',
    本人への対応の実施状況: f.lettersSent ? `${f.lettersSent}名に個別通知を送付済み` : '個別通知を準備中',
    公表の実施状況: f.noticesPublished ? `${f.noticesPublished}ショップで公表済み` : '公表を準備中',
    再発防止のための措置: f.incident.prevention || '検討中',
    その他参考となる事項: 'カード会社・アクワイアラへ該当取引の一覧を提供済み。各ショップ運営会社(委託元)へ通知済み。',
  };
  return [
    `個人情報保護委員会 御中 — 漏えい等報告(${stage})`,
    '',
    `報告者: ${f.operator.company} 代表者 ${f.operator.representative}\n所在地: ${f.operator.address} 電話: ${f.operator.phone}\n報告日: ${formatJstDate(f.reportedOn)} 管理番号: ${f.incident.number}`,
    '',
    ...PPC_ITEMS.flatMap((item, i) => [`(${i + 1}) ${item}\n${values[item]}`, '']),
  ].join('\n');
}

export function renderPpcReport(f: PpcFields): Promise<Buffer> {
  const stage = f.stage === 'preliminary' ? '速報' : '確報';
  return renderPdf({ title: `漏えい等報告(${stage}) ${f.incident.number}`, author: f.operator.company }, (doc) => {
    drawTitleBlock(doc, { title: `漏えい等報告書(${stage})`, subtitle: '個人情報保護委員会 御中', meta: [['報告日', formatJstDate(f.reportedOn)], ['管理番号', f.incident.number]] });
    const blocks = ppcReportText(f).split('\n\n');
    drawParagraph(doc, blocks[1]!);
    for (const block of blocks.slice(2).filter((b) => b.trim())) {
      const [first, ...lines] = block.split('\n');
      drawSectionHeading(doc, first!);
      drawParagraph(doc, lines.join('\n'));
    }
    drawPageFooters(doc);
  });
}

/** The operator's notice to a shop company (the operator processes data on the shop's behalf). */
export function shopNoticeText(incident: IncidentFacts, shop: ShopFacts, operator: { company: string; securityContact: string }, on: Date): string {
  return [
    `${shop.companyName} 御中`,
    '',
    `${operator.company}は、貴社ショップ「${shop.shopName}」の運営を受託し、貴社の個人データを取り扱っております。このたび、当該個人データの漏えいのおそれがある事態が発生しましたので、ご報告いたします。`,
    '',
    '1. 概要',
    incident.summary,
    '',
    '2. 漏えいのおそれがある期間',
    windowText(shop),
    '',
    '3. 対象の項目と人数',
    `${incident.dataItems.join('、')} / ${shop.affectedCount}名`,
    '',
    '4. 原因と対応状況',
    `${incident.cause}\nカード決済は停止済みです。対象のお客様への通知文・公表文の案を用意しております。`,
    '',
    '5. 当社の連絡窓口',
    operator.securityContact,
    '',
    `${formatJstDate(on)}  ${operator.company}`,
  ].join('\n');
}

export function renderShopNotice(incident: IncidentFacts, shop: ShopFacts, operator: { company: string; securityContact: string }, on: Date): Promise<Buffer> {
  return renderTextDocument(`個人データの漏えいのおそれに関するご報告(${shop.shopName})`, operator.company, `個人データの漏えいのおそれに関するご報告\n\n${shopNoticeText(incident, shop, operator, on)}`);
}

