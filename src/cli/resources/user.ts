import { toJson } from "@bufbuild/protobuf";
import { AdminRole } from "../../gen/metalstack/api/v2/common_pb.js";
import { TokenSchema } from "../../gen/metalstack/api/v2/token_pb.js";
import { type User, UserSchema } from "../../gen/metalstack/api/v2/user_pb.js";
import type { ApiTokenIdentity } from "../auth/login-setup.js";
import type { CredentialStorage } from "../config/store.js";
import type { Detail, JsonValue } from "../output/printer.js";
import { indent, renderTable } from "../output/table.js";
import { until } from "../output/time.js";
import { adminRoleName, projectRoleName, tenantRoleName } from "./roles.js";
import { tokenGrantsSummary } from "./token.js";

/** SessionStatus is what `auth status`/`whoami` report. */
export interface SessionStatus {
  context?: string;
  apiUrl: string;
  /** Where the credentials come from: keychain, file, or the METALCTL_API_TOKEN environment variable. */
  storage: CredentialStorage | "environment";
  tokenExpires?: Date;
  defaultProject?: string;
  /** The caller, unless the token may not call UserService/Get (API tokens without that grant). */
  user?: User;
  /** The API token in use, when it is one. */
  apiToken?: ApiTokenIdentity;
}

/** projectLabel names a project as people read it, "web (3f2a…)", when the user's projects know its name. */
export function projectLabel(user: User | undefined, id: string): string {
  const name = user?.projects.find((p) => p.project === id)?.name;
  return name && name !== id ? `${name} (${id})` : id;
}

/** sessionDetail prints a session as a readable block and as JSON with the user in proto JSON form. */
export function sessionDetail(s: SessionStatus): Detail {
  const json: Record<string, JsonValue> = { apiUrl: s.apiUrl, storage: s.storage };
  if (s.context) json.context = s.context;
  if (s.tokenExpires) json.tokenExpires = s.tokenExpires.toISOString();
  if (s.defaultProject) json.defaultProject = s.defaultProject;
  if (s.user) json.user = toJson(UserSchema, s.user);
  const t = s.apiToken;
  if (t) {
    json.apiToken = { id: t.id, owner: t.owner };
    if (t.record) json.apiToken = { ...json.apiToken, token: toJson(TokenSchema, t.record) };
  }
  return {
    json,
    text(now) {
      const u = s.user;
      const lines = [
        `User:        ${u ? `${u.name || u.id}${u.email ? ` <${u.email}>` : ""} (${u.id})` : t ? `${t.owner} (owner of the API token)` : "unknown (the token may not call whoami)"}`,
        `Context:     ${s.context ?? "none (environment)"}`,
        `API URL:     ${s.apiUrl}`,
        `Credentials: ${s.storage}`,
        `Token:       ${s.tokenExpires ? `expires ${until(s.tokenExpires, now)} (${s.tokenExpires.toISOString()})` : "no expiry known"}`,
        `Project:     ${s.defaultProject ? projectLabel(u, s.defaultProject) : "none (run `metalctl project set`)"}`,
      ];
      if (t) {
        const desc = t.record?.description ? ` "${t.record.description}"` : "";
        lines.push(`API token:   ${t.id}${desc}`);
        lines.push(
          `Grants:      ${t.record ? tokenGrantsSummary(t.record) : "not shown (the server does not offer TokenService/GetCurrent)"}`,
        );
      }
      if (u && u.adminRole !== AdminRole.UNSPECIFIED)
        lines.push(`Admin role:  ${adminRoleName(u.adminRole)}`);
      let out = `${lines.join("\n")}\n`;
      if (u?.tenants.length) {
        const rows = u.tenants.map((t) => [
          t.tenant,
          t.name,
          tenantRoleName(t.role),
          t.personal ? "yes" : "",
        ]);
        out += `\nTenants:\n${indent(renderTable(["ID", "Name", "Role", "Personal"], rows))}`;
      }
      if (u?.projects.length) {
        const rows = u.projects.map((p) => [
          p.project,
          p.name,
          p.tenant,
          `${projectRoleName(p.role)}${p.impliedByTenant ? " (via tenant)" : ""}`,
        ]);
        out += `\nProjects:\n${indent(renderTable(["ID", "Name", "Tenant", "Role"], rows))}`;
      }
      return out;
    },
  };
}
