import type { ComponentChildren } from 'preact';
import { STAFF_ROLE_LABELS } from '../../domains/staff/staff.service.ts';
import type { StaffPrincipal } from '../../platform/http/auth-guard.ts';
import { CsrfField, Layout } from '../../platform/views/layout.tsx';
import { ADMIN_NAV } from './admin-nav.ts';

export interface AdminPageFrame {
  shop: { slug: string; display_name: string };
  staff: Pick<StaffPrincipal, 'displayName' | 'role'>;
  csrfToken: string;
  stylesheetUrl: string;
}

export interface AdminLayoutProps extends AdminPageFrame {
  title: string;
  /** Id of the menu entry this page belongs to. */
  active: string;
  children: ComponentChildren;
}

export function adminBase(slug: string): string {
  return `/admin/${slug}`;
}

/** The shop staff console: shop name, the menu the staff member's role may use, who is signed in. */
export function AdminLayout(props: AdminLayoutProps) {
  const base = adminBase(props.shop.slug);
  const items = ADMIN_NAV.filter((item) => item.roles.includes(props.staff.role));
  return (
    <Layout
      title={`${props.title} | ${props.shop.display_name} 管理画面`}
      brand={{ name: props.shop.display_name, href: base, sub: 'ショップ管理画面' }}
      stylesheetUrl={props.stylesheetUrl}
      nav={
        <div class="console-user">
          <span class="console-user__name">
            {props.staff.displayName}
            <span class="badge">{STAFF_ROLE_LABELS[props.staff.role]}</span>
          </span>
          <form method="post" action="/admin/sign-out" class="console-user__signout">
            <CsrfField token={props.csrfToken} />
            <button type="submit" class="button button--secondary">
              サインアウト
            </button>
          </form>
        </div>
      }
      footer={<span>Oroshi ショップ管理画面</span>}
    >
      <nav class="console-nav" aria-label="管理メニュー">
        <ul>
          {items.map((item) => (
            <li key={item.id}>
              <a href={`${base}${item.path}`} aria-current={item.id === props.active ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h1>{props.title}</h1>
      {props.children}
    </Layout>
  );
}
