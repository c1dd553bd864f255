/**
 * Where the page sits, as an ordered list; the last crumb is the page itself (no link). Shown on
 * pages a buyer or staff member reaches by drilling down (category → product, list → detail).
 */
export interface Crumb {
  label: string;
  href?: string;
}

export function Breadcrumbs(props: { items: readonly Crumb[] }) {
  if (props.items.length === 0) return null;
  const last = props.items.length - 1;
  return (
    <nav class="breadcrumbs" aria-label="パンくずリスト">
      <ol>
        {props.items.map((c, i) => (
          <li key={`${i}-${c.label}`}>
            {c.href && i !== last ? (
              <a href={c.href}>{c.label}</a>
            ) : (
              <span aria-current={i === last ? 'page' : undefined}>{c.label}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
