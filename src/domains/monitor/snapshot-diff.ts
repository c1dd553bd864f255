import {
  type Deviation,
  type DeviationSeverity,
  type FormRecord,
  formKey,
  inputKey,
  type PageSnapshot,
  type WalkDiff,
  type WalkSnapshot,
  type WalkStep,
} from './walk-snapshot.ts';

/**
 * The browser monitor's judgement: what changed between the approved baseline and this walk.
 * Critical (the shop's card payments stop): any script or stylesheet added or changed (inline
 * ones too; a baseline recorded before stylesheets were read judges none), any form added or whose
 * action (walk.form-action-changed: same method and inputs, another target) or inputs changed, a card-like input on an Oroshi page, a CSP changed, weakened, moved to
 * <meta> or missing, the payment step landing on another host. Warning: everything else that
 * differs (removed scripts, stylesheets or forms, new request origins, iframes, other headers, new CSP
 * violations, a page of the walk missing or new).
 *
 * Card-like inputs are judged without the baseline: a baseline cannot approve one.
 */

export interface DiffOptions {
  /** Hosts the payment step may land on (the shop's configured provider), judged where the baseline has none. */
  providerHosts?: readonly string[];
}

function deviation(kind: string, severity: DeviationSeverity, step: WalkStep | 'walk', key: string, summary: string, detail: Record<string, unknown> = {}): Deviation {
  return { kind, severity, step, key: `${step}:${key}`.slice(0, 150), summary, detail };
}

/** Pages not served by Oroshi (the provider's hosted page) are not judged for card inputs or scripts. */
function isProviderPage(page: PageSnapshot): boolean {
  return page.step === 'payment-provider';
}

export function cardInputDeviations(snapshot: WalkSnapshot): Deviation[] {
  return snapshot.pages
    .filter((page) => !isProviderPage(page))
    .flatMap((page) =>
      page.cardInputs.map((input) =>
        deviation('walk.card-input', 'critical', page.step, `card:${input.formAction ?? '-'}:${input.name}`, `Oroshi のページ（${page.step}）にカード番号らしき入力欄があります: ${input.name || '(名前なし)'}`, {
          url: page.url,
          input,
        }),
      ),
    );
}

const WEAK_CSP = /'unsafe-inline'|'unsafe-eval'|'unsafe-hashes'|'strict-dynamic'|(^|\s)\*(\s|;|$)|(^|\s)(https?|data|blob):(\s|;|$)/;

function directives(csp: string): Map<string, string> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name = '', ...rest] = d.split(/\s+/);
        return [name.toLowerCase(), rest.join(' ')] as const;
      }),
  );
}

function cspDeviations(step: WalkStep, base: PageSnapshot, current: PageSnapshot): Deviation[] {
  const before = base.headers['content-security-policy'];
  const after = current.headers['content-security-policy'];
  const out: Deviation[] = [];
  if (current.metaCsp.length > base.metaCsp.length || current.metaCsp.some((m) => !base.metaCsp.includes(m))) {
    out.push(deviation('walk.csp-meta', 'critical', step, 'csp-meta', `CSP が <meta> で配信されています（${step}）`, { metaCsp: current.metaCsp, baseline: base.metaCsp }));
  }
  if (before && !after) {
    out.push(deviation('walk.csp-missing', 'critical', step, 'csp-missing', `CSP ヘッダーがありません（${step}）`, { baseline: before }));
    return out;
  }
  if (!after || after === before) return out;
  const was = directives(before ?? '');
  const now = directives(after);
  const weakened = [...now.entries()].filter(([name, value]) => WEAK_CSP.test(value) && !WEAK_CSP.test(was.get(name) ?? '')).map(([name]) => name);
  const dropped = [...was.keys()].filter((name) => !now.has(name));
  if (weakened.length || dropped.length) {
    out.push(deviation('walk.csp-weakened', 'critical', step, 'csp-weakened', `CSP が弱められました（${step}）: ${[...weakened, ...dropped.map((d) => `-${d}`)].join(', ')}`, { weakened, dropped, baseline: before ?? null, current: after }));
  } else {
    out.push(deviation('walk.csp-changed', 'critical', step, 'csp-changed', `CSP が基準と異なります（${step}）`, { baseline: before ?? null, current: after }));
  }
  return out;
}

function headerDeviations(step: WalkStep, base: PageSnapshot, current: PageSnapshot): Deviation[] {
  const names = new Set([...Object.keys(base.headers), ...Object.keys(current.headers)]);
  names.delete('content-security-policy');
  const changed = [...names].filter((n) => base.headers[n] !== current.headers[n]).sort();
  return changed.map((name) =>
    deviation('walk.header-changed', 'warning', step, `header:${name}`, `セキュリティヘッダー ${name} が基準と異なります（${step}）`, { header: name, baseline: base.headers[name] ?? null, current: current.headers[name] ?? null }),
  );
}

/** A script or a stylesheet: where it came from (null: inline) and the hash of what the browser received. */
interface Resource {
  url: string | null;
  sha384: string;
}

interface ResourceLabels {
  /** Kind and key prefix: walk.<noun>-added / -changed / -removed. */
  noun: 'script' | 'stylesheet';
  changed: string;
  added: string;
  removed: string;
  inline: string;
}

const SCRIPT_LABELS: ResourceLabels = {
  noun: 'script',
  changed: 'スクリプトの内容が変わりました',
  added: '基準にないスクリプトが読み込まれました',
  removed: '基準にあるスクリプトが読み込まれませんでした',
  inline: 'インラインスクリプト',
};

const STYLESHEET_LABELS: ResourceLabels = {
  noun: 'stylesheet',
  changed: 'スタイルシートの内容が変わりました',
  added: '基準にないスタイルシートが読み込まれました',
  removed: '基準にあるスタイルシートが読み込まれませんでした',
  inline: 'インラインスタイル',
};

/** Added or changed: critical; removed: warning. Script deviations keep their kinds and keys (events already raised stay the same events). */
function resourceDeviations(step: WalkStep, labels: ResourceLabels, base: readonly Resource[], current: readonly Resource[]): Deviation[] {
  const { noun } = labels;
  const field = noun === 'script' ? 'src' : 'href';
  const out: Deviation[] = [];
  const baseByUrl = new Map<string, Set<string>>();
  for (const r of base) {
    const key = r.url ?? 'inline';
    baseByUrl.set(key, (baseByUrl.get(key) ?? new Set()).add(r.sha384));
  }
  for (const r of current) {
    const key = r.url ?? 'inline';
    const approved = baseByUrl.get(key);
    if (approved?.has(r.sha384)) continue;
    if (approved && r.url) {
      out.push(deviation(`walk.${noun}-changed`, 'critical', step, `${noun}-changed:${key}:${r.sha384}`, `${labels.changed}（${step}）: ${key}`, { [field]: r.url, sha384: r.sha384, approved: [...approved] }));
    } else {
      out.push(deviation(`walk.${noun}-added`, 'critical', step, `${noun}-added:${key}:${r.sha384}`, `${labels.added}（${step}）: ${r.url ?? labels.inline}`, { [field]: r.url, sha384: r.sha384 }));
    }
  }
  const currentKeys = new Set(current.map((r) => `${r.url ?? 'inline'}|${r.sha384}`));
  const currentUrls = new Set(current.map((r) => r.url ?? 'inline'));
  for (const r of base) {
    const key = `${r.url ?? 'inline'}|${r.sha384}`;
    // A changed resource is reported once, as changed.
    if (currentKeys.has(key) || currentUrls.has(r.url ?? 'inline')) continue;
    out.push(deviation(`walk.${noun}-removed`, 'warning', step, `${noun}-removed:${key}`, `${labels.removed}（${step}）: ${r.url ?? labels.inline}`, { [field]: r.url, sha384: r.sha384 }));
  }
  return out;
}

function scriptDeviations(step: WalkStep, base: PageSnapshot, current: PageSnapshot): Deviation[] {
  const resources = (page: PageSnapshot) => page.scripts.map((s) => ({ url: s.src, sha384: s.sha384 }));
  return resourceDeviations(step, SCRIPT_LABELS, resources(base), resources(current));
}

/** A baseline recorded before stylesheets were read has none to compare: nothing is judged until a baseline with them is approved. */
function stylesheetDeviations(step: WalkStep, base: PageSnapshot, current: PageSnapshot): Deviation[] {
  if (!base.stylesheets || !current.stylesheets) return [];
  const resources = (sheets: NonNullable<PageSnapshot['stylesheets']>) => sheets.map((s) => ({ url: s.href, sha384: s.sha384 }));
  return resourceDeviations(step, STYLESHEET_LABELS, resources(base.stylesheets), resources(current.stylesheets));
}

function formDeviations(step: WalkStep, base: PageSnapshot, current: PageSnapshot): Deviation[] {
  const out: Deviation[] = [];
  const group = (forms: readonly FormRecord[]) => {
    const m = new Map<string, Set<string>>();
    for (const f of forms) {
      const set = m.get(formKey(f)) ?? new Set<string>();
      set.add(f.inputs.map(inputKey).join(','));
      m.set(formKey(f), set);
    }
    return m;
  };
  const before = group(base.forms);
  const after = group(current.forms);
  const methodOf = (key: string) => key.slice(0, key.indexOf(' '));
  const actionOf = (key: string) => key.slice(key.indexOf(' ') + 1);
  // A baseline form that is gone while a form of the same method and inputs posts somewhere else:
  // the same form, its action moved (a redirect hijack) — reported as that, once.
  const moved = new Map<string, string>();
  for (const [key, shapes] of after) {
    if (before.has(key)) continue;
    const from = [...before.entries()].find(
      ([was, wasShapes]) => !after.has(was) && ![...moved.values()].includes(was) && methodOf(was) === methodOf(key) && [...shapes].some((s) => wasShapes.has(s)),
    );
    if (from) moved.set(key, from[0]);
  }
  for (const [key, shapes] of after) {
    const approved = before.get(key);
    const movedFrom = moved.get(key);
    if (movedFrom) {
      const [from, to] = [actionOf(movedFrom), actionOf(key)];
      const crossOrigin = /^[a-z][a-z0-9+.-]*:/i.test(to);
      out.push(
        deviation('walk.form-action-changed', 'critical', step, `form-action:${movedFrom}->${to}`, `フォームの送信先が基準と異なります（${step}）: ${from} → ${to}`, {
          method: methodOf(key),
          from,
          to,
          crossOrigin,
          inputs: [...shapes],
        }),
      );
      continue;
    }
    if (!approved) {
      out.push(deviation('walk.form-added', 'critical', step, `form-added:${key}`, `基準にないフォームがあります（${step}）: ${key}`, { form: key, inputs: [...shapes] }));
      continue;
    }
    for (const shape of shapes) {
      if (approved.has(shape)) continue;
      const was = new Set([...approved].flatMap((s) => s.split(',')));
      const now = shape.split(',');
      out.push(
        deviation('walk.form-inputs-changed', 'critical', step, `form-inputs:${key}:${shape}`.slice(0, 140), `フォームの入力欄が基準と異なります（${step}）: ${key}`, {
          form: key,
          added: now.filter((i) => i && !was.has(i)),
          removed: [...was].filter((i) => i && !now.includes(i)),
        }),
      );
    }
  }
  const movedAway = new Set(moved.values());
  for (const key of before.keys()) {
    if (!after.has(key) && !movedAway.has(key)) out.push(deviation('walk.form-removed', 'warning', step, `form-removed:${key}`, `基準にあるフォームがありません（${step}）: ${key}`, { form: key }));
  }
  return out;
}

function listDeviations(step: WalkStep, kind: string, label: string, before: readonly string[], after: readonly string[]): Deviation[] {
  const was = new Set(before);
  return after
    .filter((v) => !was.has(v))
    .map((value) => deviation(kind, 'warning', step, `${kind}:${value}`, `${label}（${step}）: ${value}`, { value }));
}

function pageDeviations(base: PageSnapshot, current: PageSnapshot): Deviation[] {
  const step = current.step;
  const out = [...cspDeviations(step, base, current), ...headerDeviations(step, base, current)];
  if (!isProviderPage(current)) {
    out.push(...scriptDeviations(step, base, current), ...stylesheetDeviations(step, base, current), ...formDeviations(step, base, current));
  }
  out.push(
    ...listDeviations(step, 'walk.request-origin-added', '基準にない接続先へのリクエストがありました', base.requestOrigins, current.requestOrigins),
    ...listDeviations(step, 'walk.iframe-added', '基準にない iframe があります', base.iframes, current.iframes),
    ...listDeviations(step, 'walk.csp-violation', 'ブラウザーが CSP 違反を報告しました', base.cspViolations, current.cspViolations),
  );
  if (current.url !== base.url) {
    out.push(deviation('walk.page-url-changed', 'warning', step, `url:${current.url}`, `ページの行き先が基準と異なります（${step}）: ${current.url}`, { baseline: base.url, current: current.url }));
  }
  return out;
}

/** Every deviation of `current` from `baseline` (null: no approved baseline yet — only card inputs are judged). */
export function diffSnapshots(baseline: WalkSnapshot | null, current: WalkSnapshot, options: DiffOptions = {}): WalkDiff {
  const deviations = [...cardInputDeviations(current)];
  if (baseline) {
    const basePages = new Map(baseline.pages.map((p) => [p.step, p]));
    const currentSteps = new Set(current.pages.map((p) => p.step));
    for (const page of current.pages) {
      const base = basePages.get(page.step);
      if (!base) {
        deviations.push(deviation('walk.step-added', 'warning', page.step, 'step-added', `基準にないページを巡回しました: ${page.step}`, { url: page.url }));
        continue;
      }
      deviations.push(...pageDeviations(base, page));
    }
    for (const step of basePages.keys()) {
      if (!currentSteps.has(step)) deviations.push(deviation('walk.step-missing', 'warning', step, 'step-missing', `基準にあるページまで巡回できませんでした: ${step}`, {}));
    }
  }
  const host = current.paymentRedirectHost;
  if (host) {
    // The approved baseline's host is the reference; the shop's configured provider hosts only where
    // no baseline has one yet. A host from the settings alone never excuses a new one: a taken-over
    // admin account can change the settings (catalogue 14) — a new provider needs a new baseline.
    const approved = baseline?.paymentRedirectHost ? [baseline.paymentRedirectHost] : [...(options.providerHosts ?? [])];
    if (approved.length > 0 && !approved.includes(host)) {
      deviations.push(
        deviation('walk.redirect-host', 'critical', 'payment-provider', `redirect:${host}`, `決済ページの遷移先が承認済みの決済代行会社のホストではありません: ${host}`, {
          host,
          allowed: approved,
          configured: options.providerHosts ?? [],
        }),
      );
    }
  }
  return { deviations };
}
