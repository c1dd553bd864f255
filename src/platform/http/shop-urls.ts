import type { Config } from '../config/config.ts';

/** Where a shop lives: its own origin in production, /s/{slug} on the shared development host. */
export function shopHomeUrl(config: Pick<Config, 'BASE_DOMAIN' | 'pathTenants' | 'baseOrigin'>, shop: { slug: string; custom_host: string | null }): string {
  if (config.BASE_DOMAIN && !config.pathTenants) {
    const protocol = new URL(config.baseOrigin).protocol;
    return `${protocol}//${shop.custom_host ?? `${shop.slug}.${config.BASE_DOMAIN}`}/`;
  }
  return `/s/${shop.slug}/`;
}
