import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { ApprovedScript } from '../http/script-inventory.ts';

export class UninventoriedScriptError extends Error {
  constructor(readonly found: string) {
    super(`page contains a script that is not in the script inventory: ${found.slice(0, 200)}`);
  }
}

/** The exact tag the layout writes for an approved script; nothing else may contain `<script`. */
export function scriptTag(script: ApprovedScript): string {
  return `<script src="${script.url}" integrity="${script.sha384}" crossorigin="anonymous" defer></script>`;
}

/**
 * Renders a full document and proves it carries no script beyond the approved ones for the page:
 * a template, a stored text or the raw-HTML hatch that smuggles a <script> (or an SVG/inline
 * handler wrapped in one) makes rendering fail closed instead of shipping it.
 */
// biome-ignore lint/suspicious/noExplicitAny: a vnode's props type is its component's business
export function renderDocument(node: VNode<any>, scripts: readonly ApprovedScript[], meta: Readonly<Record<string, string>> = {}): string {
  const body = renderToString(node);
  const allowed = new Set(scripts.map(scriptTag));
  // The page's approved scripts are added here, from the inventory, and nowhere else; with them
  // the <meta name> values they read (e.g. where the integrity check reports).
  const metaTags = Object.entries(meta).map(([name, content]) => `<meta name="${escapeAttribute(name)}" content="${escapeAttribute(content)}">`);
  const headEnd = body.indexOf('</head>');
  const html = `<!doctype html>${headEnd < 0 ? body : body.slice(0, headEnd) + metaTags.join('') + [...allowed].join('') + body.slice(headEnd)}`;
  const tags = html.match(/<script\b[^>]*>[\s\S]*?<\/script\s*>|<script\b[^>]*>/gi) ?? [];
  for (const tag of tags) {
    if (!allowed.has(tag)) throw new UninventoriedScriptError(tag);
  }
  // Cheap pre-check first: most pages have no " onxxx=" anywhere, so the tag walk rarely runs.
  if (/\son[a-z]+\s*=/i.test(html)) assertNoInlineHandlers(html);
  return html;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const TAG = /<[a-zA-Z][^\s/>]*((?:\s+[^\s=>"'/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/g;
const ATTRIBUTE = /\s+([^\s=>"'/]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?/g;

/** An inline event handler would be blocked by the CSP anyway; refusing it here is a second layer. */
function assertNoInlineHandlers(html: string): void {
  for (const tag of html.matchAll(TAG)) {
    for (const attr of (tag[1] ?? '').matchAll(ATTRIBUTE)) {
      if (/^on/i.test(attr[1] ?? '')) throw new UninventoriedScriptError(tag[0]);
    }
  }
}
