import { authorizeUrl, exchangeCode, newPkce, postForm } from "./cli-side.js";
import { HttpBrowser } from "./http-browser.js";

/** LOOPBACK is the CLI's callback URL in these logins; nothing listens there, the browser stops before it. */
export const LOOPBACK = "http://127.0.0.1:49152/callback";
/** NEW_PASSWORD replaces a one-time password when the provider asks for it. */
export const NEW_PASSWORD = "Brand-New-Secret-7";

/** LoginOutcome is where a browser login ended: the loopback callback, or a page with its status. */
export type LoginOutcome = { callback: URL } | { status: number; html: string };

/** TokenAnswer is the token endpoint's JSON answer with its status. */
export type TokenAnswer = Awaited<ReturnType<typeof postForm>>;

// Posts the provider's password form, and its password-change form when a one-time password is used.
async function passwordForms(
  b: HttpBrowser,
  page: { url: string; html: string },
  user: string,
  password: string,
  stopAt?: string,
) {
  let ended = await b.submitLogin(page.url, page.html, { username: user, password }, stopAt);
  if (stopAt && ended.url.startsWith(stopAt)) return { ended, html: "" };
  let html = await ended.res.text();
  const ticket = /name="ticket" value="([^"]*)"/.exec(html)?.[1];
  if (ticket && html.includes('name="new_password"')) {
    ended = await b.submitLogin(
      ended.url,
      html,
      { ticket, username: user, new_password: NEW_PASSWORD, confirm_password: NEW_PASSWORD },
      stopAt,
    );
    html = stopAt && ended.url.startsWith(stopAt) ? "" : await ended.res.text();
  }
  return { ended, html };
}

/**
 * browserLogin runs the browser part of a CLI login at `base` with a user name and password (choosing
 * NEW_PASSWORD when asked to replace a one-time password) and returns where it ended.
 */
export async function browserLogin(
  base: string,
  user: string,
  password: string,
  pkce = newPkce(),
): Promise<LoginOutcome> {
  const b = new HttpBrowser();
  const start = await b.follow(
    authorizeUrl(base, { redirectUri: LOOPBACK, state: "st", challenge: pkce.challenge, method: "S256" }),
  );
  const { ended, html } = await passwordForms(
    b,
    { url: start.url, html: await start.res.text() },
    user,
    password,
    LOOPBACK,
  );
  if (ended.url.startsWith(LOOPBACK)) return { callback: new URL(ended.url) };
  return { status: ended.res.status, html };
}

/** browserLoginTokens runs a whole browser login and redeems the code; it throws when the login did not finish. */
export async function browserLoginTokens(base: string, user: string, password: string): Promise<TokenAnswer> {
  const pkce = newPkce();
  const outcome = await browserLogin(base, user, password, pkce);
  if (!("callback" in outcome)) throw new Error(`the login ended on a page with status ${outcome.status}`);
  return exchangeCode(base, outcome.callback.searchParams.get("code") ?? "", pkce.verifier, LOOPBACK);
}

/**
 * deviceLoginTokens runs a whole device login: the client asks for a code, the person logs in at the
 * verification page and approves, and the client polls until it gets its tokens.
 */
export async function deviceLoginTokens(base: string, user: string, password: string): Promise<TokenAnswer> {
  const start = await postForm(`${base}/auth/device/code`, { client_id: "metalctl" });
  const b = new HttpBrowser();
  const page = await b.follow(String(start.body.verification_uri_complete));
  const { ended, html } = await passwordForms(
    b,
    { url: page.url, html: await page.res.text() },
    user,
    password,
  );
  const ticket = /name="ticket" value="([^"]*)"/.exec(html)?.[1] ?? "";
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&") ?? "";
  await b.follow(new URL(action, ended.url).href, undefined, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ticket, decision: "approve" }).toString(),
  });
  for (let wait = Number(start.body.interval); ; ) {
    await new Promise((r) => setTimeout(r, wait * 1000));
    const res = await postForm(`${base}/auth/token`, {
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      client_id: "metalctl",
      device_code: String(start.body.device_code),
    });
    if (res.body.error === "authorization_pending") continue;
    if (res.body.error === "slow_down") wait += 5;
    else return res;
  }
}
