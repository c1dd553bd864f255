import { formatJstDate } from '../../../domains/incidents/jst.ts';
import type { Tenant } from '../../../platform/db/schema.ts';
import { ShopLayout } from '../shop-layout.tsx';

export interface PublishedNotice {
  id: string;
  title: string;
  bodyText: string;
  publishedAt: Date;
  version: number;
  /** A newer published version replaces this one (corrections are new versions). */
  correctedBy: string | null;
}

interface NoticePageProps {
  tenant: Pick<Tenant, 'display_name' | 'company_name'>;
  base: string;
  stylesheetUrl: string;
}

export function NoticeListPage(props: NoticePageProps & { notices: PublishedNotice[] }) {
  return (
    <ShopLayout tenant={props.tenant} base={props.base} title="重要なお知らせ" stylesheetUrl={props.stylesheetUrl}>
      <h1>重要なお知らせ</h1>
      {props.notices.length === 0 ? (
        <p class="muted">現在掲載中のお知らせはありません。</p>
      ) : (
        <ul class="console-plain-list">
          {props.notices.map((n) => (
            <li key={n.id}>
              {formatJstDate(n.publishedAt)} <a href={`${props.base}/notices/${n.id}`}>{n.title}</a>
            </li>
          ))}
        </ul>
      )}
    </ShopLayout>
  );
}

/** The public notice as text (the same words as its PDF), readable without signing in. */
export function NoticePage(props: NoticePageProps & { notice: PublishedNotice }) {
  const n = props.notice;
  return (
    <ShopLayout tenant={props.tenant} base={props.base} title={n.title} stylesheetUrl={props.stylesheetUrl}>
      <article class="panel">
        <h1>{n.title}</h1>
        <p class="muted">
          掲載日 {formatJstDate(n.publishedAt)}
          {n.version > 1 && ` (第${n.version}版)`}
        </p>
        {n.correctedBy && (
          <p class="alert alert--warn">
            このお知らせには訂正版があります。<a href={`${props.base}/notices/${n.correctedBy}`}>訂正版を読む</a>
          </p>
        )}
        <div class="console-pre">{n.bodyText}</div>
        <p>
          <a href={`${props.base}/notices/${n.id}/pdf`}>PDF版を開く</a>
        </p>
      </article>
    </ShopLayout>
  );
}
