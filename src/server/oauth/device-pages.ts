import { errorBlock, escapeHtml, layout } from "../../shared/pages/layout.js";

/** deviceCodePage asks for the code a device shows. */
export function deviceCodePage(p: { action: string; userCode?: string; error?: string }): string {
  return layout(
    "Connect a device",
    `<h1>Connect a device</h1>
<p>Enter the code shown on the device or terminal that asks for access.</p>
${errorBlock(p.error)}
<form method="get" action="${escapeHtml(p.action)}">
<label for="user_code">Code</label>
<input type="text" id="user_code" name="user_code" autocomplete="off" autocapitalize="characters" spellcheck="false" required placeholder="XXXX-XXXX" value="${escapeHtml(p.userCode ?? "")}" autofocus>
<button type="submit">Continue</button>
</form>`,
  );
}

/** DeviceApprovalInput describes who asks for access and who is about to grant it. */
export interface DeviceApprovalInput {
  action: string;
  ticket: string;
  clientName: string;
  userCode: string;
  requesterAddress: string;
  requesterAgent: string;
  requestedAt: string;
  userName: string;
}

/** deviceApprovalPage shows which client and host asks and requires an explicit approval. */
export function deviceApprovalPage(p: DeviceApprovalInput): string {
  return layout(
    "Approve access",
    `<h1>Approve access?</h1>
<p><strong>${escapeHtml(p.clientName)}</strong> asks to act as <strong>${escapeHtml(p.userName)}</strong>.</p>
<p class="code" aria-label="code">${escapeHtml(p.userCode)}</p>
<p class="hint">Approve only if this code is shown on a device or terminal you just used.</p>
<dl>
<dt>Client</dt><dd>${escapeHtml(p.clientName)}</dd>
<dt>From address</dt><dd>${escapeHtml(p.requesterAddress)}</dd>
<dt>Program</dt><dd>${escapeHtml(p.requesterAgent || "unknown")}</dd>
<dt>Asked at</dt><dd>${escapeHtml(p.requestedAt)}</dd>
</dl>
<form method="post" action="${escapeHtml(p.action)}">
<input type="hidden" name="ticket" value="${escapeHtml(p.ticket)}">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`,
  );
}
