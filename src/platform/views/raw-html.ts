import { h, type JSX } from 'preact';

/**
 * THE escape hatch for raw HTML. Everything else is escaped by JSX. Call sites must pass HTML that
 * was produced by a reviewed sanitiser or by our own code, and say which in `reviewed`. Grep for
 * `unsafeRawHtml(` to review every use; the page renderer still refuses any <script> that is not
 * in the script inventory, and any inline event handler, whatever comes through here.
 */
export function unsafeRawHtml(html: string, reviewed: 'sanitized-description' | 'trusted-markup'): JSX.Element {
  return h('div', { 'data-raw': reviewed, dangerouslySetInnerHTML: { __html: html } });
}
