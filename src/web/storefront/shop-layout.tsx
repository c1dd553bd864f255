import type { ComponentChildren } from 'preact';
import type { Tenant } from '../../platform/db/schema.ts';
import { Layout } from '../../platform/views/layout.tsx';

/** Shown to a signed-in, approved member: the shop's member navigation and the search box. */
export interface MemberNav {
  memberName: string;
  rankName: string | null;
  /** The platform's account pages (on the platform origin in production). */
  accountUrl: string;
  /** Pre-fills the search box on the search page. */
  query?: string;
}

export interface ShopLayoutProps {
  tenant: Pick<Tenant, 'display_name' | 'company_name'>;
  base: string;
  title: string;
  stylesheetUrl: string;
  member?: MemberNav;
  children: ComponentChildren;
}

function MemberNavigation(props: { base: string; member: MemberNav }) {
  const { base, member } = props;
  return (
    <>
      <form class="shop-search" method="get" action={`${base}/search`}>
        <label class="visually-hidden" for="shop-search-q">
          商品を検索
        </label>
        <input id="shop-search-q" type="search" name="q" value={member.query ?? ''} placeholder="商品名・品番・JANで検索" maxLength={200} autocomplete="off" />
        <button type="submit">検索</button>
      </form>
      <a href={`${base}/#categories`}>カテゴリ</a>
      <a href={`${base}/favourites`}>お気に入り</a>
      <a href={`${base}/cart`}>カート</a>
      <a href={member.accountUrl}>アカウント</a>
    </>
  );
}

export function ShopLayout(props: ShopLayoutProps) {
  const member = props.member;
  return (
    <Layout
      title={`${props.title} | ${props.tenant.display_name}`}
      brand={{ name: props.tenant.display_name, href: `${props.base}/`, sub: member ? `${member.memberName} 様${member.rankName ? `（${member.rankName}）` : ''}` : '美容サロン様専用 会員制卸サイト' }}
      stylesheetUrl={props.stylesheetUrl}
      nav={member ? <MemberNavigation base={props.base} member={member} /> : <a href={`${props.base}/legal`}>特定商取引法に基づく表記</a>}
      footer={
        <>
          <span>{props.tenant.company_name}</span>
          <a href={`${props.base}/legal`}>特定商取引法に基づく表記</a>
        </>
      }
    >
      {props.children}
    </Layout>
  );
}
