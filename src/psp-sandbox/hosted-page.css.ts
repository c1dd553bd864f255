/** The hosted page's only stylesheet, served from /pay.css so the CSP needs no inline styles. */
export const HOSTED_PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;background:#f4f5f7;color:#1d2330;line-height:1.6}
.sandbox-banner{margin:0;padding:.5rem 1rem;background:#fff4cc;color:#5c4400;font-size:.85rem;text-align:center}
.card{max-width:30rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:1.25rem;margin:0 0 1rem}
[lang=en]{color:#6b7280;font-size:.85em}
.order{border-bottom:1px solid #e5e7eb;margin-bottom:1rem;padding-bottom:.5rem}
.order__lines{list-style:none;margin:0;padding:0}
.order__lines li{display:flex;justify-content:space-between;gap:1rem}
.order__total{display:flex;justify-content:space-between;font-size:1.1rem}
.field{margin-bottom:1rem;flex:1}
.row{display:flex;gap:1rem}
label{display:block;font-weight:600;margin-bottom:.25rem}
input{width:100%;padding:.6rem;font-size:1rem;border:1px solid #c4c9d2;border-radius:6px}
.field--error input{border-color:#c62828}
.field__error,.alert{color:#b71c1c}
.alert{background:#fdecea;padding:.75rem;border-radius:6px}
button{width:100%;padding:.75rem;font-size:1rem;font-weight:600;color:#fff;background:#1f5fbf;border:0;border-radius:6px;cursor:pointer}
button.secondary{background:#6b7280}
.cancel{text-align:center;margin-top:1rem}
.hint{background:#eef4ff;padding:.5rem;border-radius:6px}
`;
