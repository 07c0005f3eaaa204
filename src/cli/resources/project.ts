import { toJson } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { Project } from "../../gen/metalstack/api/v2/project_pb.js";
import { ProjectSchema } from "../../gen/metalstack/api/v2/project_pb.js";
import { usageError } from "../errors.js";
import type { View } from "../output/printer.js";
import { age } from "../output/time.js";

const created = (p: Project) => (p.meta?.createdAt ? timestampDate(p.meta.createdAt) : undefined);

/** projectView shows projects: id, name, tenant, description, age; wide adds labels. */
export const projectView: View<Project> = {
  columns: [
    { header: "ID", value: (p) => p.id },
    { header: "Name", value: (p) => p.name },
    { header: "Tenant", value: (p) => p.tenant },
    { header: "Description", value: (p) => p.description },
    { header: "Age", value: (p, now) => age(created(p), now), sortKey: (p) => created(p)?.getTime() ?? 0 },
    {
      header: "Labels",
      value: (p) =>
        Object.entries(p.meta?.labels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(","),
      wide: true,
    },
  ],
  toJson: (p) => toJson(ProjectSchema, p),
};

/** ProjectRef is the part of a project needed to pick one by id or name. */
export interface ProjectRef {
  id: string;
  name: string;
  tenant: string;
}

/**
 * matchProject finds a project by exact id, else by name; a name that exists in several tenants
 * is refused with the candidate ids.
 */
export function matchProject<P extends ProjectRef>(projects: P[], idOrName: string): P {
  const byId = projects.find((p) => p.id === idOrName);
  if (byId) return byId;
  const byName = projects.filter((p) => p.name === idOrName);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw usageError(
      `project name "${idOrName}" is ambiguous`,
      `use an id: ${byName.map((p) => `${p.id} (tenant ${p.tenant})`).join(", ")}`,
    );
  }
  throw usageError(`no project "${idOrName}" among the projects you can use`, "run `metalctl project list`");
}
