import type { ComponentChildren } from 'preact';
import { STAFF_ROLE_LABELS } from '../../domains/staff/staff.service.ts';
import type { StaffPrincipal } from '../../platform/http/auth-guard.ts';
import { CsrfField, Layout } from '../../platform/views/layout.tsx';
import { OPERATOR_NAV } from './operator-nav.ts';

export interface OperatorPageFrame {
  staff: Pick<StaffPrincipal, 'displayName' | 'role'>;
  csrfToken: string;
  stylesheetUrl: string;
}

export function OperatorLayout(props: OperatorPageFrame & { title: string; active: string; children: ComponentChildren }) {
  const items = OPERATOR_NAV.filter((item) => item.roles.includes(props.staff.role));
  return (
    <Layout
      title={`${props.title} | Oroshi 運営コンソール`}
      brand={{ name: 'Oroshi 運営コンソール', href: '/operator', sub: 'プラットフォーム運営' }}
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
      footer={<span>Oroshi 運営コンソール</span>}
    >
      <nav class="console-nav console-nav--operator" aria-label="運営メニュー">
        <ul>
          {items.map((item) => (
            <li key={item.id}>
              <a href={item.path} aria-current={item.id === props.active ? 'page' : undefined}>
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
