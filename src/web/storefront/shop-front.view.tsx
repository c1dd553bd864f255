import { Fragment } from 'preact';
import { LEGAL_FIELDS } from '../../domains/tenants/tenant-legal.ts';
import type { Tenant } from '../../platform/db/schema.ts';
import { ShopLayout } from './shop-layout.tsx';

interface ShopPageProps {
  tenant: Tenant;
  base: string;
  stylesheetUrl: string;
}

interface ClosedShopFrontProps extends ShopPageProps {
  /** The platform's one sign-in page, which hands the session back to this shop's origin. */
  signInUrl: string;
}

/** What anyone sees of a members-only shop: its name, how to join, and its legal page. */
export function ClosedShopFrontPage(props: ClosedShopFrontProps) {
  const suspended = props.tenant.status === 'suspended';
  return (
    <ShopLayout tenant={props.tenant} base={props.base} title="会員ログイン" stylesheetUrl={props.stylesheetUrl}>
      <section class="hero">
        <h1>{props.tenant.display_name}</h1>
        <p>{props.tenant.tagline || `${props.tenant.company_name}の美容サロン様専用 会員制卸サイトです。`}</p>
      </section>
      {suspended && <p class="alert alert--warn">このショップは現在、ご注文の受付を一時停止しています。</p>}
      <section class="panel panel--narrow">
        <h2>会員のサロン様へ</h2>
        <p>商品・価格・在庫は、このショップの承認を受けたサロン様だけがご覧いただけます。</p>
        <p class="muted">Oroshi のサロンアカウントでサインインし、このショップへの会員申請を行ってください。</p>
        <p>
          <a class="button" href={props.signInUrl}>
            サインイン / 会員申請
          </a>
        </p>
      </section>
    </ShopLayout>
  );
}

export function LegalPage(props: ShopPageProps) {
  const legal = props.tenant.legal as unknown as Record<string, string>;
  return (
    <ShopLayout tenant={props.tenant} base={props.base} title="特定商取引法に基づく表記" stylesheetUrl={props.stylesheetUrl}>
      <h1>特定商取引法に基づく表記</h1>
      <dl class="legal">
        {LEGAL_FIELDS.map(([key, label]) => (
          <Fragment key={key}>
            <dt>{label}</dt>
            <dd>{legal[key] ?? ''}</dd>
          </Fragment>
        ))}
      </dl>
    </ShopLayout>
  );
}
