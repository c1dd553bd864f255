/**
 * A minimal browser for HTTP tests against real processes: keeps cookies, follows nothing by
 * itself (tests look at each redirect), reads the CSRF token out of pages.
 */
export class BrowserSession {
  private readonly cookies = new Map<string, string>();

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(base: string, path: string, init: { method?: string; form?: Record<string, string>; body?: string; contentType?: string } = {}): Promise<{ status: number; location: string; body: string; headers: Headers }> {
    const headers: Record<string, string> = { cookie: this.cookieHeader(), accept: 'text/html' };
    let body: string | undefined = init.body;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (init.contentType) headers['content-type'] = init.contentType;
    const res = await fetch(new URL(path, base), { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, location: res.headers.get('location') ?? '', body: await res.text(), headers: res.headers };
  }

  static csrfToken(body: string): string {
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (!token) throw new Error(`page has no CSRF token: ${body.replace(/\s+/g, ' ').slice(0, 400)}`);
    return token;
  }
}
