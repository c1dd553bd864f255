import type { ComponentChildren } from 'preact';
import type { Tenant } from '../../platform/db/schema.ts';
import { Layout } from '../../platform/views/layout.tsx';

export interface ShopLayoutProps {
  tenant: Pick<Tenant, 'display_name' | 'company_name'>;
  base: string;
  title: string;
  stylesheetUrl: string;
  children: ComponentChildren;
}

export function ShopLayout(props: ShopLayoutProps) {
  return (
    <Layout
      title={`${props.title} | ${props.tenant.display_name}`}
      brand={{ name: props.tenant.display_name, href: `${props.base}/`, sub: '美容サロン様専用 会員制卸サイト' }}
      stylesheetUrl={props.stylesheetUrl}
      nav={<a href={`${props.base}/legal`}>特定商取引法に基づく表記</a>}
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
