import type { ComponentChildren } from 'preact';
import { Layout } from '../../platform/views/layout.tsx';

export type AccountSection = 'home' | 'profile' | 'shops' | 'users' | 'locations' | 'security' | 'none';

const NAV: [AccountSection, string, string][] = [
  ['home', '/account/', 'ホーム'],
  ['profile', '/account/profile', 'サロン情報'],
  ['shops', '/account/shops', '取引ショップ'],
  ['locations', '/account/locations', 'お届け先'],
  ['users', '/account/users', 'ユーザー'],
  ['security', '/account/security', 'セキュリティ'],
];

export interface AccountLayoutProps {
  title: string;
  section: AccountSection;
  stylesheetUrl: string;
  /** Shown top right; absent on pages reached before signing in (invitation links). */
  userName?: string;
  children: ComponentChildren;
}

/** The salon's account pages on the platform origin: one account across every shop. */
export function AccountLayout(props: AccountLayoutProps) {
  return (
    <Layout
      title={`${props.title} | Oroshi サロンアカウント`}
      brand={{ name: 'Oroshi', href: '/account/', sub: 'サロンアカウント' }}
      stylesheetUrl={props.stylesheetUrl}
      nav={
        props.userName !== undefined
          ? NAV.map(([id, href, label]) => (
              <a key={id} href={href} aria-current={id === props.section ? 'page' : undefined}>
                {label}
              </a>
            ))
          : undefined
      }
      footer={
        <>
          <span>Oroshi サロン卸プラットフォーム</span>
          {props.userName !== undefined && <span>{props.userName} さんでサインイン中</span>}
        </>
      }
    >
      {props.children}
    </Layout>
  );
}
