import { dropDefaultProject } from "../../src/cli/config/store.js";
import { project } from "../../src/cli/resources/project.js";
import { deleteCommand } from "../../src/cli/verbs/delete.js";
import type { Project } from "../../src/gen/metalstack/api/v2/project_pb.js";

/**
 * project delete PROJECT: deletes a project after a confirmation (or --yes); contexts that had it as
 * their default project forget it, so later commands ask for a project instead of naming a deleted one.
 */
export default class ProjectDelete extends deleteCommand(project, {
  summary: "Delete a project (asks unless --yes); contexts that default to it forget it.",
  aliases: ["project rm"],
  question: (id) => `delete project ${id}`,
  deleted: (p, id) => `Deleted project ${p.name ? `${p.name} (${id})` : id}.`,
}) {
  protected override deleted(p: Project, id: string): string | undefined {
    const done = super.deleted(p, id);
    const apiUrl = this.deps.target().apiUrl;
    if (!apiUrl) return done;
    const { config, contexts } = dropDefaultProject(this.deps.config(), apiUrl, { id, name: p.name });
    if (!contexts.length) return done;
    this.deps.saveConfig(config);
    const which = contexts.map((c) => `"${c}"`).join(", ");
    const whose =
      contexts.length === 1
        ? `context ${which}, which now has none`
        : `contexts ${which}, which now have none`;
    return `${done}\nIt was the default project of ${whose} — choose one with \`metalctl project set\`.`;
  }
}
