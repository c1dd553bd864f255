import { SCRIPT_INVENTORY } from './script-inventory.ts';
import { StaticAssets } from './static-assets.ts';

/**
 * `npm run inventory`: prints each inventoried script's approved and actual SHA-384. A change to
 * a script is approved by updating its hash in script-inventory.ts, in review.
 */
const assets = new StaticAssets();
let mismatches = 0;
for (const script of SCRIPT_INVENTORY) {
  let actual = '(missing)';
  try {
    actual = assets.get(script.file).sha384;
  } catch {}
  const ok = actual === script.sha384;
  if (!ok) mismatches++;
  process.stdout.write(`${ok ? 'ok      ' : 'CHANGED '} ${script.id}  ${script.file}\n         approved ${script.sha384}\n         actual   ${actual}\n         purpose  ${script.purpose} (owner: ${script.owner})\n`);
}
process.exit(mismatches ? 1 : 0);
