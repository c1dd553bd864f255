import { Layout } from '../../platform/views/layout.tsx';

export interface PlatformHomeProps {
  stylesheetUrl: string;
  operator: { platform_name: string; company_name: string; representative: string; postal_code: string; address: string; phone: string; email: string; security_contact: string } | undefined;
  shops: { slug: string; display_name: string; company_name: string; tagline: string; kind: string; href: string }[];
}

/** The platform's public face: who runs it and which shops exist. No catalog, no prices. */
export function PlatformHomePage(props: PlatformHomeProps) {
  const name = props.operator?.platform_name ?? 'Oroshi';
  return (
    <Layout
      title={`${name} | 美容サロン向け会員制卸サイト`}
      brand={{ name, href: '/', sub: '美容サロン専用 会員制卸プラットフォーム' }}
      stylesheetUrl={props.stylesheetUrl}
      noindex={false}
      footer={
        props.operator && (
          <>
            <span>運営: {props.operator.company_name}</span>
            <span>セキュリティに関するご連絡: {props.operator.security_contact}</span>
          </>
        )
      }
    >
      <section class="hero">
        <h1>サロン専売品の仕入れを、ひとつのアカウントで。</h1>
        <p>
          {name}は、美容室・理容室など美容サロン様だけがご利用いただける会員制の卸サイトです。各ショップの会員承認後に、サロン様向けの価格で商品をご覧いただけます。
        </p>
      </section>

      <h2>出店ショップ</h2>
      <div class="grid">
        {props.shops.map((shop) => (
          <article class="card" key={shop.slug}>
            <h3 class="card__title">{shop.display_name}</h3>
            <p class="card__meta">{shop.company_name}</p>
            {shop.tagline && <p>{shop.tagline}</p>}
            <p class="card__actions">
              <a class="button button--secondary" href={shop.href}>
                ショップへ（会員ログイン）
              </a>
            </p>
          </article>
        ))}
      </div>

      <section class="panel" aria-labelledby="security-heading">
        <h2 id="security-heading">安全への取り組み</h2>
        <ul>
          <li>カード番号は当サイトを一切通りません。カード情報は決済代行会社のページでのみ入力され、3Dセキュア（本人認証）を必ず行います。</li>
          <li>決済やパスワードを扱うページは、改ざんを常時監視しています。異常を検知すると、数秒でカード決済を停止します。</li>
          <li>各ショップのデータは、データベースの行レベルセキュリティにより完全に分離されています。</li>
        </ul>
      </section>

      {props.operator && (
        <section class="panel" aria-labelledby="operator-heading">
          <h2 id="operator-heading">運営会社</h2>
          <dl class="legal">
            <dt>会社名</dt>
            <dd>{props.operator.company_name}</dd>
            <dt>代表者</dt>
            <dd>{props.operator.representative}</dd>
            <dt>所在地</dt>
            <dd>
              〒{props.operator.postal_code} {props.operator.address}
            </dd>
            <dt>お問い合わせ</dt>
            <dd>
              {props.operator.phone} / {props.operator.email}
            </dd>
          </dl>
        </section>
      )}
    </Layout>
  );
}
