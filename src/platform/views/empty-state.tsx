import type { ComponentChildren } from 'preact';

/** What a list shows when it has nothing yet: what will appear here and, optionally, how to start. */
export function EmptyState(props: { children: ComponentChildren; action?: { href: string; label: string } }) {
  return (
    <div class="empty-note">
      <p>{props.children}</p>
      {props.action && (
        <p>
          <a class="button button--secondary" href={props.action.href}>
            {props.action.label}
          </a>
        </p>
      )}
    </div>
  );
}
