import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Adapter, default as Provider } from "oidc-provider";
import { FormTooLarge, type Req, type Res, readForm, sendHtml } from "../shared/http.js";
import { messagePage } from "../shared/pages/message.js";
import type { ConnectorSet } from "./connector-store.js";
import type { Account, Connector } from "./connectors/connector.js";
import type { UpstreamLoginChecks } from "./connectors/upstream-oidc.js";
import type { IdpDeps } from "./deps.js";
import { getLocalUser, LocalUserError, setLocalPassword } from "./local-users.js";
import { connectorChoicePage, loginPage, passwordChangePage } from "./pages/login.js";
import { MIN_PASSWORD_LENGTH, verifyPassword } from "./passwords.js";

/** InteractionOptions wire the interaction pages to the provider and the connectors. */
export interface InteractionOptions {
  provider: Provider;
  deps: IdpDeps;
  /** The connectors offered right now (configured ones plus those in the database). */
  loadConnectors(): Promise<ConnectorSet>;
  mountPath: string;
  secure: boolean;
  /** Secret the CSRF tokens are derived from. */
  cookieKey: string;
  saveExternalAccount(account: Account): Promise<void>;
  /** Storage for short-lived artefacts (password change tickets, upstream logins). */
  adapter(model: string): Adapter;
  /** Origin of the issuer, to rebuild the full callback URL of upstream logins. */
  origin: string;
}

const UPSTREAM_LOGIN_MODEL = "UpstreamLogin";
const UPSTREAM_RESULT_MODEL = "UpstreamResult";
const UPSTREAM_TTL_SECONDS = 10 * 60;

const PASSWORD_CHANGE_MODEL = "PasswordChange";
const PASSWORD_CHANGE_TTL_SECONDS = 15 * 60;
const POLICY_TEXT = `At least ${MIN_PASSWORD_LENGTH} characters, mixing at least three of: lower case, upper case, digits, other characters; not containing your user name.`;

/**
 * createInteractionHandler serves the provider's interaction pages under `<mount>/interaction/<uid>`:
 * connector choice, login, forced password change and abort. Every form carries a CSRF token bound
 * to the interaction, which itself is bound to the browser by the provider's interaction cookie.
 */
export function createInteractionHandler(o: InteractionOptions) {
  const base = `${o.mountPath}/interaction/`;
  const csrfFor = (uid: string) =>
    createHmac("sha256", o.cookieKey).update(`csrf:${uid}`).digest("base64url");
  const csrfValid = (uid: string, token: string | null) => {
    const want = Buffer.from(csrfFor(uid));
    const got = Buffer.from(token ?? "");
    return got.length === want.length && timingSafeEqual(got, want);
  };

  const renderLogin = (
    res: Res,
    uid: string,
    connector: Connector,
    multiple: boolean,
    status: number,
    error?: string,
    username?: string,
  ) =>
    sendHtml(
      res,
      status,
      loginPage({
        action: `${base}${uid}/login?connector=${encodeURIComponent(connector.id)}`,
        csrf: csrfFor(uid),
        connectorName: connector.name,
        cancelHref: `${base}${uid}/abort`,
        ...(error ? { error } : {}),
        ...(username ? { username } : {}),
        ...(multiple ? { backHref: `${base}${uid}` } : {}),
      }),
    );

  return async (req: Req, res: Res): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://idp.invalid");
    const [uid = "", action = ""] = url.pathname.slice(base.length).split("/");
    let details: Awaited<ReturnType<Provider["interactionDetails"]>>;
    try {
      details = await o.provider.interactionDetails(req as never, res as never);
    } catch {
      return sendHtml(
        res,
        400,
        messagePage(
          "Login expired",
          "This login page is no longer valid (it expired, was already used, or your browser blocks cookies). Start the login again from your application.",
          { alert: true },
        ),
      );
    }
    if (details.uid !== uid) {
      return sendHtml(
        res,
        400,
        messagePage("Login expired", "This login page belongs to another login. Start again.", {
          alert: true,
        }),
      );
    }
    const cs = await o.loadConnectors();
    const multiple = cs.password.length + cs.redirect.length > 1;
    const chosen = url.searchParams.get("connector");
    const connector = cs.password.find((c) => c.id === chosen) ?? (multiple ? undefined : cs.password[0]);
    const redirectConnector = cs.redirect.find((c) => c.id === chosen);

    if (req.method === "GET" && action === "abort") {
      await o.provider.interactionFinished(req as never, res as never, {
        error: "access_denied",
        error_description: "the user cancelled the login",
      });
      return;
    }
    if (req.method === "GET" && action === "upstream") {
      const ticketId = url.searchParams.get("ticket") ?? "";
      const result = ticketId
        ? ((await o.adapter(UPSTREAM_RESULT_MODEL).find(ticketId)) as
            | { interaction?: string; accountId?: string }
            | undefined)
        : undefined;
      if (!result || result.interaction !== uid || !result.accountId) {
        return sendHtml(
          res,
          400,
          messagePage("Login expired", "The login expired. Start it again.", { alert: true }),
        );
      }
      await o.adapter(UPSTREAM_RESULT_MODEL).destroy(ticketId);
      await o.provider.interactionFinished(
        req as never,
        res as never,
        { login: { accountId: result.accountId } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (req.method === "GET" && action === "") {
      if (details.prompt.name === "consent") return finishConsent(o, req, res, details);
      if (redirectConnector) {
        const { url: target, checks } = await redirectConnector.start();
        await o
          .adapter(UPSTREAM_LOGIN_MODEL)
          .upsert(
            checks.state,
            { interaction: uid, connector: redirectConnector.id, checks } as never,
            UPSTREAM_TTL_SECONDS,
          );
        res.writeHead(303, { location: target.href, "cache-control": "no-store" });
        res.end();
        return;
      }
      if (!connector) {
        return sendHtml(
          res,
          200,
          connectorChoicePage(
            [...cs.password, ...cs.redirect].map((c) => ({
              id: c.id,
              name: c.name,
              href: `${base}${uid}?connector=${encodeURIComponent(c.id)}`,
            })),
          ),
        );
      }
      return renderLogin(res, uid, connector, multiple, 200);
    }
    if (req.method !== "POST" || (action !== "login" && action !== "password")) {
      return sendHtml(res, 404, messagePage("Not found", "There is no such page.", { alert: true }));
    }
    let form: URLSearchParams;
    try {
      form = await readForm(req);
    } catch (err) {
      const status = err instanceof FormTooLarge ? 413 : 400;
      return sendHtml(
        res,
        status,
        messagePage("Bad request", "The form could not be read.", { alert: true }),
      );
    }
    if (!csrfValid(uid, form.get("csrf"))) {
      return sendHtml(
        res,
        403,
        messagePage(
          "Request refused",
          "The form was not sent from this login page. Reload the page and try again.",
          {
            alert: true,
          },
        ),
      );
    }
    if (action === "login") {
      if (!connector)
        return sendHtml(res, 400, messagePage("Bad request", "No login method was chosen.", { alert: true }));
      const username = form.get("username") ?? "";
      let result: Awaited<ReturnType<Connector["login"]>>;
      try {
        result = await connector.login(username, form.get("password") ?? "");
      } catch {
        return renderLogin(
          res,
          uid,
          connector,
          multiple,
          503,
          `${connector.name} cannot be reached right now. Try again later.`,
          username,
        );
      }
      if (!result.ok) return renderLogin(res, uid, connector, multiple, 401, result.message, username);
      const account = result.account;
      if (account.mustChangePassword) {
        const ticket = randomBytes(32).toString("base64url");
        await changeTickets(o).upsert(ticket, { uid, accountId: account.sub }, PASSWORD_CHANGE_TTL_SECONDS);
        return sendHtml(
          res,
          200,
          passwordChangePage({
            action: `${base}${uid}/password`,
            csrf: csrfFor(uid),
            ticket,
            username: account.sub,
            policy: POLICY_TEXT,
          }),
        );
      }
      if (connector.id !== "local") await o.saveExternalAccount(account);
      await o.provider.interactionFinished(
        req as never,
        res as never,
        { login: { accountId: account.sub } },
        {
          mergeWithLastSubmission: false,
        },
      );
      return;
    }
    // action === "password"
    const ticketId = form.get("ticket") ?? "";
    const ticket = ticketId
      ? ((await changeTickets(o).find(ticketId)) as { uid?: string; accountId?: string } | undefined)
      : undefined;
    if (!ticket || ticket.uid !== uid || !ticket.accountId) {
      return sendHtml(
        res,
        400,
        messagePage("Login expired", "The password change expired. Start the login again.", { alert: true }),
      );
    }
    const newPassword = form.get("new_password") ?? "";
    const page = (error: string) =>
      sendHtml(
        res,
        400,
        passwordChangePage({
          action: `${base}${uid}/password`,
          csrf: csrfFor(uid),
          ticket: ticketId,
          username: ticket.accountId!,
          policy: POLICY_TEXT,
          error,
        }),
      );
    if (newPassword !== (form.get("confirm_password") ?? "")) return page("The two passwords differ.");
    const user = await getLocalUser(o.deps, ticket.accountId);
    if (!user || user.locked) return page("This account cannot log in.");
    const stored = await o.deps.db
      .selectFrom("idp_users")
      .select("password_hash")
      .where("id", "=", user.id)
      .executeTakeFirst();
    if (await verifyPassword(stored?.password_hash, newPassword))
      return page("Choose a password different from the one-time password.");
    try {
      await setLocalPassword(o.deps, user.id, newPassword, { mustChange: false });
    } catch (err) {
      if (err instanceof LocalUserError)
        return page(err.message.replace(/^password: /, "The password is too weak: "));
      throw err;
    }
    await changeTickets(o).destroy(ticketId);
    await o.provider.interactionFinished(
      req as never,
      res as never,
      { login: { accountId: user.id } },
      {
        mergeWithLastSubmission: false,
      },
    );
  };
}

function changeTickets(o: InteractionOptions): Adapter {
  return o.adapter(PASSWORD_CHANGE_MODEL);
}

async function finishConsent(
  o: InteractionOptions,
  req: Req,
  res: Res,
  details: Awaited<ReturnType<Provider["interactionDetails"]>>,
): Promise<void> {
  const accountId = details.session?.accountId;
  const clientId = String(details.params.client_id ?? "");
  if (!accountId || !clientId) {
    return sendHtml(res, 400, messagePage("Login expired", "Start the login again.", { alert: true }));
  }
  const grant = details.grantId
    ? ((await o.provider.Grant.find(details.grantId)) ?? new o.provider.Grant({ accountId, clientId }))
    : new o.provider.Grant({ accountId, clientId });
  grant.addOIDCScope(String(details.params.scope ?? "openid"));
  const grantId = await grant.save();
  await o.provider.interactionFinished(
    req as never,
    res as never,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}

/**
 * createUpstreamCallbackHandler serves `<mount>/connector/<id>/callback`: it redeems the upstream
 * provider's answer and hands the account to the waiting interaction through a one-time ticket
 * (the interaction cookie is only sent to the interaction's own path).
 */
export function createUpstreamCallbackHandler(o: InteractionOptions) {
  return async (req: Req, res: Res): Promise<void> => {
    const url = new URL(req.url ?? "/", o.origin);
    const state = url.searchParams.get("state") ?? "";
    const logins = o.adapter(UPSTREAM_LOGIN_MODEL);
    const pending = state
      ? ((await logins.find(state)) as
          | { interaction: string; connector: string; checks: UpstreamLoginChecks }
          | undefined)
      : undefined;
    const connectorId = url.pathname.slice(`${o.mountPath}/connector/`.length).split("/")[0];
    const upstream =
      pending?.connector === connectorId
        ? (await o.loadConnectors()).redirect.find((c) => c.id === connectorId)
        : undefined;
    if (!pending || !upstream) {
      return sendHtml(
        res,
        400,
        messagePage("Login expired", "This login is unknown or expired. Start it again.", { alert: true }),
      );
    }
    await logins.destroy(state);
    let account: Account;
    try {
      account = await upstream.finish(url, pending.checks);
    } catch {
      return sendHtml(
        res,
        502,
        messagePage(
          "Login failed",
          `The answer of ${upstream.name} could not be verified. Start the login again.`,
          {
            alert: true,
          },
        ),
      );
    }
    await o.saveExternalAccount(account);
    const ticket = randomBytes(32).toString("base64url");
    await o
      .adapter(UPSTREAM_RESULT_MODEL)
      .upsert(
        ticket,
        { interaction: pending.interaction, accountId: account.sub } as never,
        UPSTREAM_TTL_SECONDS,
      );
    res.writeHead(303, {
      location: `${o.mountPath}/interaction/${pending.interaction}/upstream?ticket=${ticket}`,
      "cache-control": "no-store",
    });
    res.end();
  };
}
