import type { ComponentChildren } from 'preact';

/**
 * The wrapper every data table sits in. It scrolls sideways on its own when the table is wider
 * than a phone, so it is a named, keyboard-focusable region: keyboard users can scroll it, and
 * screen readers announce what it holds (WCAG 2.1.1; axe scrollable-region-focusable).
 */
export function TableRegion(props: { label: string; class?: string; children: ComponentChildren }) {
  return (
    // A labelled <section> is a region landmark; tabindex lets the keyboard scroll it.
    <section class={props.class ? `table-wrap ${props.class}` : 'table-wrap'} aria-label={props.label} tabindex={0}>
      {props.children}
    </section>
  );
}
