import { createRequire } from 'node:module';
import type sanitizeHtml from 'sanitize-html';

// sanitize-html (and its HTML parser) is loaded by the first description saved, not at boot.
const requireFromHere = createRequire(import.meta.url);
let sanitizer: typeof sanitizeHtml | undefined;
const loadSanitizer = () => (sanitizer ??= requireFromHere('sanitize-html') as typeof sanitizeHtml);

/**
 * Product descriptions are written by shop staff and rendered on member pages, so they are an
 * injection path (attack catalogue 2 and 9). Only a small, attribute-poor subset of HTML survives.
 * The policy is enforced twice: our own per-tag check below (which also records what it dropped so
 * the admin UI can warn the editor) and sanitize-html's allowlists, configured to the same subset,
 * as a second layer.
 */

export const MAX_DESCRIPTION_BYTES = 50 * 1024;

export type SanitizedDescription =
  | { ok: true; html: string; removed: string[] }
  | { ok: false; code: 'description_too_large'; message: string };

const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  p: [],
  br: [],
  strong: [],
  em: [],
  b: [],
  i: [],
  u: [],
  ul: [],
  ol: [],
  li: [],
  h3: [],
  h4: [],
  blockquote: [],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ['colspan', 'rowspan'],
  td: ['colspan', 'rowspan'],
  a: ['href', 'rel'],
  img: ['src', 'alt', 'width', 'height'],
};

/**
 * Elements whose content is dropped along with them: raw-text elements, and containers whose
 * content the browser parses differently from htmlparser2 (foreign content, noscript, template),
 * which is where mutation XSS lives.
 */
const DROP_WITH_CONTENT = [
  'script',
  'style',
  'textarea',
  'option',
  'select',
  'xmp',
  'noscript',
  'noembed',
  'noframes',
  'template',
  'iframe',
  'object',
  'svg',
  'math',
  'title',
  'plaintext',
];

const ORIGIN_PROBE = 'https://oroshi.invalid';
const IMAGE_ROOTS = ['/assets/', '/media/'];

/**
 * Control characters, whitespace and backslashes are rejected outright: browsers strip tabs and
 * newlines from URLs and read `\` as `/`, so `/\evil.example` or `/<TAB>/evil.example` would leave
 * the origin.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const SUSPICIOUS_URL_CHARS = /[\u0000-\u0020\u007f-\u009f\\\u2028\u2029\u3000\ufeff]/;

function ownPath(value: string): URL | null {
  if (!value.startsWith('/') || value.startsWith('//')) return null;
  if (SUSPICIOUS_URL_CHARS.test(value)) return null;
  try {
    const url = new URL(value, ORIGIN_PROBE);
    return url.origin === ORIGIN_PROBE ? url : null;
  } catch {
    return null;
  }
}

function isSameOriginPath(value: string): boolean {
  return ownPath(value) !== null;
}

function isOwnImagePath(value: string): boolean {
  const url = ownPath(value);
  if (!url) return false;
  // Checked both before and after resolution so `/assets/../admin` cannot slip out.
  return IMAGE_ROOTS.some((root) => value.startsWith(root) && url.pathname.startsWith(root));
}

const PIXELS = /^\d{1,4}$/;
const SPAN = /^[1-9]\d{0,2}$/;

const VALUE_CHECKS: Readonly<Record<string, (value: string) => boolean>> = {
  'a[href]': isSameOriginPath,
  'img[src]': isOwnImagePath,
  'img[width]': (v) => PIXELS.test(v),
  'img[height]': (v) => PIXELS.test(v),
  'td[colspan]': (v) => SPAN.test(v),
  'td[rowspan]': (v) => SPAN.test(v),
  'th[colspan]': (v) => SPAN.test(v),
  'th[rowspan]': (v) => SPAN.test(v),
};

/**
 * NUL and other C0 controls are removed before parsing: browsers replace them inside tag and
 * attribute names (`<scr\0ipt>`), so the parser here and the browser could disagree about them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g;

function removedName(tag: string, attribute?: string): string {
  const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
  return attribute === undefined ? clip(tag) : `${clip(tag)}[${clip(attribute)}]`;
}

export function sanitizeDescription(html: string): SanitizedDescription {
  const bytes = Buffer.byteLength(html, 'utf8');
  if (bytes > MAX_DESCRIPTION_BYTES) {
    return {
      ok: false,
      code: 'description_too_large',
      message: `商品説明が大きすぎます（${Math.ceil(bytes / 1024)} KB）。${MAX_DESCRIPTION_BYTES / 1024} KB 以内にしてください。`,
    };
  }

  const removed = new Set<string>();

  const enforcePolicy: sanitizeHtml.Transformer = (tagName, attribs) => {
    const allowed = ALLOWED_ATTRIBUTES[tagName];
    if (!allowed) {
      removed.add(removedName(tagName));
      return { tagName, attribs: {} };
    }
    const kept: sanitizeHtml.Attributes = {};
    for (const [name, value] of Object.entries(attribs)) {
      const key = `${tagName}[${name}]`;
      if (name === 'rel' && tagName === 'a') {
        if (value !== 'noopener') removed.add(removedName(tagName, name));
        continue;
      }
      const check = VALUE_CHECKS[key];
      if (!allowed.includes(name) || (check && !check(value))) {
        removed.add(removedName(tagName, name));
        continue;
      }
      kept[name] = value;
    }
    if (tagName === 'a') kept['rel'] = 'noopener';
    return { tagName, attribs: kept };
  };

  const output = loadSanitizer()(html.replace(CONTROL_CHARS, ''), {
    allowedTags: Object.keys(ALLOWED_ATTRIBUTES),
    allowedAttributes: {
      ...Object.fromEntries(Object.entries(ALLOWED_ATTRIBUTES).map(([tag, attrs]) => [tag, [...attrs]])),
      a: ['href', { name: 'rel', values: ['noopener'] }],
    },
    allowedSchemes: [],
    allowedSchemesByTag: {},
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: DROP_WITH_CONTENT,
    nestingLimit: 24,
    parseStyleAttributes: false,
    transformTags: { '*': enforcePolicy },
    // An image whose source was refused would only render a broken-image box.
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs['src'],
  });

  return { ok: true, html: output, removed: [...removed] };
}
