import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { Breadcrumbs } from './breadcrumbs.tsx';
import { EmptyState } from './empty-state.tsx';
import { MEMBERSHIP_TONE, STOCK_TONE, StatusBadge, toneOf, VERIFICATION_TONE } from './status-badge.tsx';
import { TableRegion } from './table-region.tsx';

describe('shared view parts', () => {
  it('breadcrumbs link every crumb but the last, which is marked as the current page', () => {
    const html = renderToString(<Breadcrumbs items={[{ label: 'ホーム', href: '/s/a/' }, { label: 'ヘアカラー', href: '/s/a/c/color' }, { label: 'アヤメカラー' }]} />);
    expect(html).toContain('aria-label="パンくずリスト"');
    expect(html.match(/<a /g)).toHaveLength(2);
    expect(html).toContain('<span aria-current="page">アヤメカラー</span>');
    expect(renderToString(<Breadcrumbs items={[]} />)).toBe('');
  });

  it('status badges: one colour per meaning across memberships, verification and stock', () => {
    expect(renderToString(<StatusBadge tone={MEMBERSHIP_TONE.approved!}>承認済み</StatusBadge>)).toBe('<span class="badge badge--ok">承認済み</span>');
    expect(MEMBERSHIP_TONE.applied).toBe(VERIFICATION_TONE.pending);
    expect(MEMBERSHIP_TONE.rejected).toBe(STOCK_TONE.out);
    expect(STOCK_TONE.low).toBe('warn');
    expect(toneOf(VERIFICATION_TONE, 'something-new')).toBe('neutral');
    expect(renderToString(<StatusBadge tone="info">10%</StatusBadge>)).toBe('<span class="badge">10%</span>');
  });

  it('a table region is a named, focusable landmark', () => {
    const html = renderToString(
      <TableRegion label="会員一覧">
        <table />
      </TableRegion>,
    );
    expect(html).toBe('<section class="table-wrap" aria-label="会員一覧" tabindex="0"><table></table></section>');
  });

  it('an empty state says what will appear and offers the way to start', () => {
    const html = renderToString(<EmptyState action={{ href: '/x', label: '追加する' }}>まだありません。</EmptyState>);
    expect(html).toContain('<div class="empty-note"><p>まだありません。</p>');
    expect(html).toContain('href="/x"');
  });
});
