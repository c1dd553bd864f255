import { invalidRequest } from './api-error.model.ts';
import type { SandboxContext } from './sandbox.context.ts';
import type { Owned } from './sandbox.store.ts';

type Json = Record<string, unknown>;

/** Fields that hold another object's id, and where that object lives. */
function lookupFor(ctx: SandboxContext, field: string): Map<string, Owned<unknown>> | undefined {
  const { data } = ctx.store;
  const maps: Record<string, Map<string, Owned<unknown>>> = {
    payment_intent: data.paymentIntents as Map<string, Owned<unknown>>,
    latest_charge: data.charges as Map<string, Owned<unknown>>,
    charge: data.charges as Map<string, Owned<unknown>>,
  };
  return Object.hasOwn(maps, field) ? maps[field] : undefined;
}

function expandPath(ctx: SandboxContext, account: string, target: Json, path: string[], fullPath: string): void {
  const [field, ...rest] = path;
  if (!field) return;
  const map = lookupFor(ctx, field);
  if (!map || !Object.hasOwn(target, field)) throw invalidRequest(`This property cannot be expanded (${fullPath}).`, 'expand');
  const value = target[field];
  if (value === null) return;
  let expanded: Json;
  if (typeof value === 'string') {
    const found = map.get(value);
    if (!found || found.account !== account) return;
    expanded = structuredClone(found.object) as Json;
    target[field] = expanded;
  } else {
    expanded = value as Json;
  }
  if (rest.length > 0) expandPath(ctx, account, expanded, rest, fullPath);
}

/**
 * Returns a copy of a stored object with the requested `expand[]` paths replaced by the objects
 * they name (`payment_intent.latest_charge` expands both levels), as Stripe does.
 */
export function expandObject<T>(ctx: SandboxContext, account: string, object: T, expand: readonly string[]): T {
  const copy = structuredClone(object) as Json;
  for (const path of expand) {
    const parts = path.split('.');
    if (parts.length > 4) throw invalidRequest(`You cannot expand more than 4 levels of a property (${path}).`, 'expand');
    expandPath(ctx, account, copy, parts, path);
  }
  return copy as T;
}
