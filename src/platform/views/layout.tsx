import type { ComponentChildren } from 'preact';

export interface LayoutProps {
  title: string;
  /** Heading shown in the top bar: the shop's name on shop pages, the platform's elsewhere. */
  brand: { name: string; href: string; sub?: string };
  stylesheetUrl: string;
  nav?: ComponentChildren;
  footer?: ComponentChildren;
  children: ComponentChildren;
  lang?: 'ja' | 'en';
  /** Pages with member or staff data must not be indexed or cached by shared caches. */
  noindex?: boolean;
}

export function Layout(props: LayoutProps) {
  return (
    <html lang={props.lang ?? 'ja'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        {props.noindex !== false && <meta name="robots" content="noindex, nofollow" />}
        <meta name="referrer" content="no-referrer" />
        <link rel="stylesheet" href={props.stylesheetUrl} />
      </head>
      <body>
        <a class="skip-link" href="#main">
          本文へ移動
        </a>
        <header class="site-header">
          <div class="site-header__inner">
            <a class="site-brand" href={props.brand.href}>
              <span class="site-brand__name">{props.brand.name}</span>
              {props.brand.sub && <span class="site-brand__sub">{props.brand.sub}</span>}
            </a>
            {props.nav && (
              <nav class="site-nav" aria-label="メインメニュー">
                {props.nav}
              </nav>
            )}
          </div>
        </header>
        <main id="main" class="site-main">
          {props.children}
        </main>
        <footer class="site-footer">
          <div class="site-footer__inner">{props.footer}</div>
        </footer>
      </body>
    </html>
  );
}

export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}
