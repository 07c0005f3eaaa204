import { type DescMessage, type MessageShape, toJson } from "@bufbuild/protobuf";

// User data is cloud-init input and routinely carries passwords or keys, whatever its field is called.
const SECRET_KEY = /secret|password|passwd|token|credential|private|otp|code|key$|userdata|user_data/i;
const MAX_AUDIT_REQUEST = 4_096;

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? "[redacted]" : scrub(v);
    return out;
  }
  return value;
}

/**
 * redactRequest renders a request as JSON for the audit log with every field whose name suggests a
 * secret (token, password, secret, key, code, …) replaced, and truncated to a few KiB.
 */
export function redactRequest(schema: DescMessage, message: MessageShape<DescMessage>): string {
  let json: string;
  try {
    json = JSON.stringify(scrub(toJson(schema, message, { alwaysEmitImplicit: false })));
  } catch {
    json = "{}";
  }
  return json.length > MAX_AUDIT_REQUEST ? `${json.slice(0, MAX_AUDIT_REQUEST)}…` : json;
}
