/** Page links for console lists; keeps the current filters in each link. */
export function Pager(props: { base: string; query: Record<string, string | undefined>; page: number; pages: number }) {
  if (props.pages <= 1) return null;
  const link = (page: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(props.query)) if (v) params.set(k, v);
    params.set('page', String(page));
    return `${props.base}?${params.toString()}`;
  };
  const pages = [...new Set([1, props.page - 2, props.page - 1, props.page, props.page + 1, props.page + 2, props.pages])].filter((p) => p >= 1 && p <= props.pages).sort((a, b) => a - b);
  return (
    <nav class="pager" aria-label="ページ送り">
      {pages.map((p) =>
        p === props.page ? (
          <span key={p} aria-current="page">
            {p}
          </span>
        ) : (
          <a key={p} href={link(p)}>
            {p}
          </a>
        ),
      )}
    </nav>
  );
}
