import fs from "node:fs";
import path from "node:path";
import { ImageFeature, ImageService } from "../../gen/metalstack/api/v2/image_pb.js";
import { NetworkService, NetworkType } from "../../gen/metalstack/api/v2/network_pb.js";
import { SizeService } from "../../gen/metalstack/api/v2/size_pb.js";
import type { Deps } from "../deps.js";
import { CliError, ExitCode } from "../errors.js";
import { askPartition, pickFrom } from "./ask.js";
import type { MachineCreateInput } from "./machine.js";
import { missingMachineCreateFlags } from "./machine.js";

/**
 * askMachineCreateInput asks on the terminal for every required value the flags did not give:
 * the name, then select lists of the partitions, sizes, images and networks the user may use, and an
 * SSH key when none was given; then it shows what will be allocated and asks to go ahead.
 */
export async function askMachineCreateInput(
  deps: Deps,
  input: MachineCreateInput,
  project: string,
): Promise<MachineCreateInput> {
  const out = { ...input };
  const missing = new Set(missingMachineCreateFlags(input));
  const p = deps.prompter;
  if (missing.has("name")) out.name = await p.input("Machine name");
  if (missing.has("partition")) out.partition = await askPartition(deps);
  if (missing.has("size")) {
    const { sizes } = await deps.client(SizeService).list({});
    out.size = await pickFrom(
      deps,
      "Size",
      sizes.map((x) => ({ name: x.id, value: x.id, description: x.name || x.description })),
      {
        message: "there is no machine size to choose from",
        hint: "an operator creates one with `metalctl admin size create`",
      },
    );
  }
  if (missing.has("image")) {
    const { images } = await deps.client(ImageService).list({ project, feature: ImageFeature.MACHINE });
    out.image = await pickFrom(
      deps,
      "Image",
      images.map((x) => ({ name: x.id, value: x.id, description: x.name || `${x.os} ${x.version}` })),
      {
        message: "there is no machine image to choose from",
        hint: "an operator creates one with `metalctl admin image create`",
      },
    );
  }
  if (missing.has("networks")) {
    const { networks } = await deps.client(NetworkService).list({ project });
    const usable = networks.filter(
      (n) =>
        (n.type === NetworkType.CHILD && (!out.partition || n.partition === out.partition)) ||
        n.type === NetworkType.EXTERNAL,
    );
    const where = out.partition ? ` in partition ${out.partition}` : "";
    const child = await pickFrom(
      deps,
      "Network of the project",
      usable
        .filter((n) => n.type === NetworkType.CHILD)
        .map((n) => ({ name: n.id, value: n.id, description: `${n.name} ${n.prefixes.join(",")}`.trim() })),
      {
        message: `project ${project} has no network${where} to attach the machine to`,
        hint: `allocate one with \`metalctl network allocate --name NAME --partition ${out.partition || "PARTITION"}\`, then run machine create again`,
      },
    );
    out.networks = [child];
  }
  if (!out.sshPublicKeys?.length) {
    const key = await askSshKey(deps);
    if (key) out.sshPublicKeys = [key];
  }
  deps.io.err(machineCreateSummary(out, project));
  if (!(await p.confirm("Allocate this machine?", true))) throw new CliError("aborted", ExitCode.error);
  return out;
}

/** askSshKey offers the public keys in ~/.ssh (and "none"); it returns the chosen key's text. */
async function askSshKey(deps: Deps): Promise<string | undefined> {
  const dir = path.join(deps.env.HOME ?? "", ".ssh");
  let files: string[] = [];
  try {
    files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".pub"))
      .sort();
  } catch {
    // No ~/.ssh: only "none" is offered.
  }
  const choices = [
    ...files.map((f) => {
      const file = path.join(dir, f);
      return { name: `~/.ssh/${f}`, value: file, description: keyComment(file) };
    }),
    { name: "none", value: "", description: "no SSH access (add keys with --ssh-public-key)" },
  ];
  const file = await deps.prompter.pick("SSH public key", choices);
  return file ? fs.readFileSync(file, "utf8").trim() : undefined;
}

/** keyComment is the comment (third field) of a public key file, e.g. `alice@laptop`. */
function keyComment(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim().split(/\s+/).slice(2).join(" ");
  } catch {
    return "";
  }
}

/** machineCreateSummary lists what a machine create will allocate, one value a line. */
export function machineCreateSummary(input: MachineCreateInput, project: string): string {
  const key = input.sshPublicKeys?.length
    ? input.sshPublicKeys.map((k) => k.split(/\s+/).slice(2).join(" ") || k.split(/\s+/)[0]).join(", ")
    : "none";
  return [
    "Machine to allocate:",
    `  Name:       ${input.name}`,
    `  Project:    ${project}`,
    `  Partition:  ${input.partition}`,
    `  Size:       ${input.size}`,
    `  Image:      ${input.image}`,
    `  Networks:   ${(input.networks ?? []).join(", ")}`,
    `  SSH keys:   ${key}`,
  ].join("\n");
}
