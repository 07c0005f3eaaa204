import { CliError, ExitCode } from "../errors.js";
import { type OAuthEndpoints, OAuthError, postForm, requestToken, type TokenResponse } from "./oauth.js";

/** DeviceCode is the answer of the device authorization endpoint (RFC 8628). */
export interface DeviceCode {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
}

/** DeviceFlowOptions connect the flow to the terminal and the clock. */
export interface DeviceFlowOptions {
  endpoints: OAuthEndpoints;
  /** Tells the user where to go and which code to enter. */
  show(code: DeviceCode): void;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * deviceLogin runs the device authorization grant: it asks for a code, shows it, then polls the
 * token endpoint at the server's interval (slowing down when told) until approval, denial or expiry.
 */
export async function deviceLogin(opts: DeviceFlowOptions): Promise<TokenResponse> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const dc = (await postForm(opts.endpoints.device, { scope: "openid profile email" })) as DeviceCode;
  if (!dc.device_code || !dc.user_code || !dc.verification_uri) {
    throw new CliError("the device authorization endpoint answered without a code", ExitCode.error);
  }
  opts.show(dc);
  let intervalMs = Math.max(1, dc.interval ?? 5) * 1000;
  const deadline = Date.now() + dc.expires_in * 1000;
  while (Date.now() < deadline) {
    await sleep(intervalMs);
    try {
      return await requestToken(opts.endpoints.token, {
        grant_type: "urn:ietf:params:oauth:grant-type:device_code",
        device_code: dc.device_code,
      });
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      if (err.error === "authorization_pending") continue;
      if (err.error === "slow_down") {
        intervalMs += 5000;
        continue;
      }
      if (err.error === "access_denied")
        throw new CliError("the login was denied in the browser", ExitCode.unauthenticated);
      if (err.error === "expired_token") break;
      throw new CliError(
        `device login failed: ${err.message}`,
        ExitCode.unauthenticated,
        "run `metalctl login --device` again",
      );
    }
  }
  throw new CliError(
    "the device code expired before it was approved",
    ExitCode.unauthenticated,
    "run `metalctl login --device` again",
  );
}
