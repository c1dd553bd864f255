import { encode } from 'uqr';

/**
 * A QR code drawn on the server as inline SVG (one path of unit squares): no script, no image
 * request, nothing sent to a third party — the encoded text (a TOTP seed) never leaves the page.
 */

export function qrPath(text: string): { size: number; d: string } {
  const qr = encode(text, { ecc: 'M', border: 4 });
  let d = '';
  qr.data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    });
  });
  return { size: qr.size, d };
}

export function QrCode(props: { text: string; label: string; class?: string }) {
  const { size, d } = qrPath(props.text);
  return (
    <svg class={props.class ?? 'qr-code'} viewBox={`0 0 ${size} ${size}`} role="img" aria-label={props.label} shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
