/**
 * HttpBrowser is a minimal cookie-keeping HTTP client that follows redirects by hand, for login
 * tests that do not need a real browser (negative cases). It never follows a redirect to the
 * loopback callback: it returns that URL instead, as the CLI's listener would receive it.
 */
export class HttpBrowser {
  // Cookies per host name and, as in browsers, not per port.
  private jars = new Map<string, Map<string, string>>();

  private jar(url: string): Map<string, string> {
    const host = new URL(url).hostname;
    let jar = this.jars.get(host);
    if (!jar) {
      jar = new Map();
      this.jars.set(host, jar);
    }
    return jar;
  }

  /** request sends one request with the jar's cookies and stores the answer's cookies. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookies = this.jar(url);
    if (cookies.size) headers.set("cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const idx = pair!.indexOf("=");
      const name = pair!.slice(0, idx);
      const value = pair!.slice(idx + 1);
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(c) || value === "") cookies.delete(name);
      else cookies.set(name, value);
    }
    return res;
  }

  /**
   * follow requests `url` and follows redirects until a page answers or the next hop is `stopAt`
   * (a prefix); returns the final response and URL.
   */
  async follow(
    url: string,
    stopAt?: string,
    init: RequestInit = {},
  ): Promise<{ res: Response; url: string }> {
    let current = url;
    let res = await this.request(current, init);
    for (let hops = 0; hops < 20 && res.status >= 300 && res.status < 400; hops++) {
      current = new URL(res.headers.get("location")!, current).href;
      if (stopAt && current.startsWith(stopAt)) return { res, url: current };
      res = await this.request(current);
    }
    return { res, url: current };
  }

  /** submitLogin posts the login form of a page (with its CSRF token unless overridden) and follows redirects. */
  async submitLogin(
    pageUrl: string,
    html: string,
    fields: Record<string, string>,
    stopAt?: string,
  ): Promise<{ res: Response; url: string }> {
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
    if (!action) throw new Error(`no login form on ${pageUrl}`);
    const csrf = /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? "";
    const body = new URLSearchParams({ csrf, ...fields }).toString();
    return this.follow(new URL(action, pageUrl).href, stopAt, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
  }
}
