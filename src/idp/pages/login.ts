import { errorBlock, escapeHtml, layout } from "../../shared/pages/layout.js";

/** ConnectorChoice is one way to log in offered on the choice page. */
export interface ConnectorChoice {
  id: string;
  name: string;
  href: string;
}

/** connectorChoicePage lets the user pick how to log in; shown only when more than one connector exists. */
export function connectorChoicePage(choices: ConnectorChoice[]): string {
  const items = choices
    .map((c) => `<li><a href="${escapeHtml(c.href)}">Log in with ${escapeHtml(c.name)}</a></li>`)
    .join("\n");
  return layout("Log in", `<h1>Log in</h1>\n<ul class="choices">\n${items}\n</ul>`);
}

/** LoginPageInput is what the login form shows. */
export interface LoginPageInput {
  action: string;
  csrf: string;
  connectorName: string;
  username?: string;
  error?: string;
  /** Link back to the connector choice; absent with a single connector. */
  backHref?: string;
  /** Link that cancels the login and tells the application so. */
  cancelHref: string;
}

/** loginPage renders the user name / password form of one connector. */
export function loginPage(p: LoginPageInput): string {
  const back = p.backHref
    ? `<p class="hint"><a href="${escapeHtml(p.backHref)}">Other ways to log in</a></p>`
    : "";
  return layout(
    "Log in",
    `<h1>Log in</h1>
<p class="hint">with ${escapeHtml(p.connectorName)}</p>
${errorBlock(p.error)}
<form method="post" action="${escapeHtml(p.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(p.csrf)}">
<label for="username">User name</label>
<input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(p.username ?? "")}"${p.username ? "" : " autofocus"}>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required${p.username ? " autofocus" : ""}>
<button type="submit">Log in</button>
</form>
${back}
<p class="hint"><a href="${escapeHtml(p.cancelHref)}">Cancel</a></p>`,
  );
}

/** PasswordChangeInput is what the password change form shows. */
export interface PasswordChangeInput {
  action: string;
  csrf: string;
  ticket: string;
  username: string;
  policy: string;
  error?: string;
}

/** passwordChangePage asks a user with a one-time password for a new one before anything else. */
export function passwordChangePage(p: PasswordChangeInput): string {
  return layout(
    "Choose a new password",
    `<h1>Choose a new password</h1>
<p>You logged in as <strong>${escapeHtml(p.username)}</strong> with a one-time password. Choose your own password to continue.</p>
${errorBlock(p.error)}
<form method="post" action="${escapeHtml(p.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(p.csrf)}">
<input type="hidden" name="ticket" value="${escapeHtml(p.ticket)}">
<input type="text" name="username" value="${escapeHtml(p.username)}" autocomplete="username" hidden>
<label for="new_password">New password</label>
<input type="password" id="new_password" name="new_password" autocomplete="new-password" required aria-describedby="policy" autofocus>
<p class="hint" id="policy">${escapeHtml(p.policy)}</p>
<label for="confirm_password">Repeat the new password</label>
<input type="password" id="confirm_password" name="confirm_password" autocomplete="new-password" required>
<button type="submit">Set password and continue</button>
</form>`,
  );
}
