import { timingSafeEqual } from "node:crypto";
import { FormTooLarge, type Req, type Res, readForm, sendHtml } from "../../shared/http.js";
import { messagePage } from "../../shared/pages/message.js";
import { clientAddress, trustedProxiesOf } from "../auth/client-address.js";
import type { AppContext } from "../context.js";
import { deviceApprovalPage, deviceCodePage } from "./device-pages.js";
import { cookieHeader, parseCookies, sendJson } from "./http.js";
import { CLI_CLIENT_ID, type DeviceRecord, digest, secretToken, storeKeys } from "./login-records.js";
import { sendToIdentityProvider } from "./upstream-login.js";
import { generateUserCode, normalizeUserCode } from "./user-code.js";

/** MAX_USER_CODE_FAILURES is how many wrong user codes one address may enter per window. */
export const MAX_USER_CODE_FAILURES = 10;
const FAILURE_WINDOW_MS = 15 * 60_000;
const APPROVAL_TTL_MS = 10 * 60_000;
const APPROVAL_COOKIE = "metal_device_approval";

/** remoteAddress is the client address of a request (behind trusted proxies: the forwarded one). */
function remoteAddress(ctx: AppContext, req: Req): string {
  return clientAddress(req, trustedProxiesOf(ctx.config)) || "unknown";
}

/** remainingMs is how long a device record still has to live, with a grace period to report expired_token. */
export function remainingMs(ctx: AppContext, rec: DeviceRecord): number {
  return Math.max(1, new Date(rec.expiresAt).getTime() - ctx.now().getTime() + 10 * 60_000);
}

/** handleDeviceCode answers RFC 8628 device authorization requests of the CLI client. */
export async function handleDeviceCode(ctx: AppContext, req: Req, res: Res, base: string): Promise<void> {
  const form = await readForm(req);
  if (form.get("client_id") !== CLI_CLIENT_ID) {
    return sendJson(res, 401, {
      error: "invalid_client",
      error_description: `client_id must be "${CLI_CLIENT_ID}"`,
    });
  }
  const cfg = ctx.config.identity;
  const deviceCode = secretToken();
  const deviceKey = digest(deviceCode);
  const now = ctx.now();
  let userCode = generateUserCode();
  // A collision with a live code is astronomically rare; draw again rather than overwrite it.
  while (await ctx.loginState.get(storeKeys.userCode(userCode))) userCode = generateUserCode();
  const record: DeviceRecord = {
    clientId: CLI_CLIENT_ID,
    userCode,
    status: "pending",
    interval: cfg.devicePollIntervalSeconds,
    requesterAddress: remoteAddress(ctx, req),
    requesterAgent: String(req.headers["user-agent"] ?? "").slice(0, 200),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + cfg.deviceCodeLifetimeSeconds * 1000).toISOString(),
  };
  await ctx.loginState.put(storeKeys.device(deviceKey), record, remainingMs(ctx, record));
  await ctx.loginState.put(storeKeys.userCode(userCode), deviceKey, cfg.deviceCodeLifetimeSeconds * 1000);
  ctx.log.info("login: device authorization started", { address: record.requesterAddress });
  sendJson(res, 200, {
    device_code: deviceCode,
    user_code: userCode,
    verification_uri: `${base}/auth/device`,
    verification_uri_complete: `${base}/auth/device?user_code=${encodeURIComponent(userCode)}`,
    expires_in: cfg.deviceCodeLifetimeSeconds,
    interval: cfg.devicePollIntervalSeconds,
  });
}

/**
 * handleDevicePage shows the code entry form, or with a code looks it up (counting wrong codes per
 * address, so codes cannot be guessed) and starts the login that leads to the approval page.
 */
export async function handleDevicePage(ctx: AppContext, req: Req, res: Res): Promise<void> {
  const q = new URL(req.url ?? "/", "http://x").searchParams;
  const typed = q.get("user_code");
  const action = "/auth/device";
  if (typed === null) return sendHtml(res, 200, deviceCodePage({ action }));
  const failuresKey = storeKeys.userCodeFailures(remoteAddress(ctx, req));
  const failures = (await ctx.loginState.get<number>(failuresKey)) ?? 0;
  if (failures >= MAX_USER_CODE_FAILURES) {
    return sendHtml(
      res,
      429,
      messagePage(
        "Too many attempts",
        "Too many wrong codes were entered from your address. Wait 15 minutes and try again.",
        {
          alert: true,
        },
      ),
      { "retry-after": String(FAILURE_WINDOW_MS / 1000) },
    );
  }
  const userCode = normalizeUserCode(typed);
  const deviceKey = userCode ? await ctx.loginState.get<string>(storeKeys.userCode(userCode)) : undefined;
  const record = deviceKey ? await ctx.loginState.get<DeviceRecord>(storeKeys.device(deviceKey)) : undefined;
  if (!deviceKey || !record || record.status !== "pending" || new Date(record.expiresAt) <= ctx.now()) {
    await ctx.loginState.increment(failuresKey, FAILURE_WINDOW_MS);
    return sendHtml(
      res,
      400,
      deviceCodePage({
        action,
        userCode: typed,
        error: "This code is not valid. Check the code on your device and try again.",
      }),
    );
  }
  await sendToIdentityProvider(ctx, res, { kind: "device", deviceKey });
}

/** renderDeviceApproval shows the logged-in person which client and host asks, with Approve and Deny. */
export async function renderDeviceApproval(
  ctx: AppContext,
  res: Res,
  deviceKey: string,
  userId: string,
  userName: string,
): Promise<void> {
  const record = await ctx.loginState.get<DeviceRecord>(storeKeys.device(deviceKey));
  if (!record || record.status !== "pending" || new Date(record.expiresAt) <= ctx.now()) {
    return sendHtml(
      res,
      400,
      messagePage("Code expired", "The device code expired. Start again on the device.", { alert: true }),
    );
  }
  const ticket = secretToken();
  await ctx.loginState.put(storeKeys.approval(ticket), { deviceKey, userId }, APPROVAL_TTL_MS);
  const secure = ctx.config.publicUrl.startsWith("https:");
  sendHtml(
    res,
    200,
    deviceApprovalPage({
      action: "/auth/device/approve",
      ticket,
      clientName: record.clientId,
      userCode: record.userCode,
      requesterAddress: record.requesterAddress,
      requesterAgent: record.requesterAgent,
      requestedAt: record.createdAt,
      userName: userName === userId ? userId : `${userName} (${userId})`,
    }),
    {
      "set-cookie": cookieHeader(APPROVAL_COOKIE, ticket, {
        path: "/auth/device",
        maxAgeSeconds: APPROVAL_TTL_MS / 1000,
        secure,
      }),
    },
  );
}

/**
 * handleDeviceApprove records the person's decision. The ticket must arrive both in the form and in
 * the cookie set with the approval page, so another site cannot submit a decision for them.
 */
export async function handleDeviceApprove(ctx: AppContext, req: Req, res: Res): Promise<void> {
  let form: URLSearchParams;
  try {
    form = await readForm(req);
  } catch (err) {
    return sendHtml(
      res,
      err instanceof FormTooLarge ? 413 : 400,
      messagePage("Bad request", "The form could not be read.", { alert: true }),
    );
  }
  const ticket = form.get("ticket") ?? "";
  const cookie = parseCookies(req).get(APPROVAL_COOKIE) ?? "";
  const same =
    ticket.length > 0 &&
    ticket.length === cookie.length &&
    timingSafeEqual(Buffer.from(ticket), Buffer.from(cookie));
  const clear = cookieHeader(APPROVAL_COOKIE, "", {
    path: "/auth/device",
    maxAgeSeconds: 0,
    secure: ctx.config.publicUrl.startsWith("https:"),
  });
  if (!same) {
    return sendHtml(
      res,
      403,
      messagePage("Request refused", "The approval was not sent from the approval page. Start again.", {
        alert: true,
      }),
    );
  }
  const approval = await ctx.loginState.take<{ deviceKey: string; userId: string }>(
    storeKeys.approval(ticket),
  );
  const record = approval
    ? await ctx.loginState.get<DeviceRecord>(storeKeys.device(approval.deviceKey))
    : undefined;
  if (!approval || !record || record.status !== "pending" || new Date(record.expiresAt) <= ctx.now()) {
    return sendHtml(
      res,
      400,
      messagePage("Code expired", "This approval expired or was already used. Start again on the device.", {
        alert: true,
      }),
      { "set-cookie": clear },
    );
  }
  const approve = form.get("decision") === "approve";
  const updated: DeviceRecord = approve
    ? { ...record, status: "approved", userId: approval.userId }
    : { ...record, status: "denied" };
  await ctx.loginState.put(storeKeys.device(approval.deviceKey), updated, remainingMs(ctx, record));
  await ctx.loginState.delete(storeKeys.userCode(record.userCode));
  ctx.log.info("login: device authorization decided", { user: approval.userId, approved: approve });
  sendHtml(
    res,
    200,
    approve
      ? messagePage("Device approved", "The device is now logged in. You can close this page.")
      : messagePage("Access denied", "The device was not given access. You can close this page."),
    { "set-cookie": clear },
  );
}
