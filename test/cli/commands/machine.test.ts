import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { create } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Choice, Prompter } from "../../../src/cli/prompter.js";
import { ImageSchema, ImageService } from "../../../src/gen/metalstack/api/v2/image_pb.js";
import { MachineSchema, MachineService } from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { NetworkSchema, NetworkService, NetworkType } from "../../../src/gen/metalstack/api/v2/network_pb.js";
import { PartitionService } from "../../../src/gen/metalstack/api/v2/partition_pb.js";
import { SizeService } from "../../../src/gen/metalstack/api/v2/size_pb.js";
import { image, machine, NOW, partition, size } from "../../fixtures/resources.js";
import { fakeApi } from "../../helpers/fake-api.js";
import { runCommand } from "../../helpers/run-command.js";

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-machine-"));
  env = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, "config"),
    METALCTL_PROJECT: "11111111-1111-4111-8111-111111111111",
  };
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const net = create(NetworkSchema, {
  id: "net-1",
  name: "my-net",
  type: NetworkType.CHILD,
  partition: partition.id,
});

function api(networks = [net]) {
  return fakeApi((router) => {
    router.service(MachineService, {
      get: () => ({ machine }),
      create: (req) => ({
        machine: create(MachineSchema, {
          ...machine,
          allocation: { ...machine.allocation!, name: req.name },
        }),
      }),
    });
    router.service(PartitionService, { list: () => ({ partitions: [partition] }) });
    router.service(SizeService, { list: () => ({ sizes: [size] }) });
    router.service(ImageService, { list: () => ({ images: [create(ImageSchema, image)] }) });
    router.service(NetworkService, { list: () => ({ networks }) });
  });
}

describe("machine commands run in-process", () => {
  it("describe prints the detail block, the same on a terminal and in a pipe, and the proto as YAML", async () => {
    const { transport } = api();
    const piped = await runCommand(["machine", "describe", machine.uuid], { env, transport, now: NOW });
    const terminal = await runCommand(["machine", "describe", machine.uuid], {
      env,
      transport,
      now: NOW,
      terminal: true,
    });
    expect(piped.stdout).toContain("web-1");
    expect(terminal.stdout).toBe(piped.stdout);
    const yaml = await runCommand(["machine", "describe", machine.uuid, "-o", "yaml"], { env, transport });
    expect(yaml.stdout).toMatch(/^uuid: 0b0c6d3e-1111-4a4a-9c9c-000000000001$/m);
  });

  it("create names the missing flags in a pipe, and asks for them on a terminal", async () => {
    const { transport, calls } = api();
    const piped = await runCommand(["machine", "create", "--name", "web-2"], { env, transport });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain("machine create: missing --partition, --size, --image, --networks");
    expect(calls).toEqual([]);

    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample alice@laptop";
    fs.mkdirSync(path.join(home, ".ssh"));
    fs.writeFileSync(path.join(home, ".ssh", "id_ed25519.pub"), `${key}\n`);
    fs.writeFileSync(path.join(home, ".ssh", "id_ed25519"), "private, never offered\n");
    const asked: string[] = [];
    const prompter: Prompter = {
      async pick<T>(message: string, choices: Choice<T>[]) {
        asked.push(`${message}: ${choices.map((c) => c.name).join(",")}`);
        return choices[0]!.value;
      },
      async confirm(message) {
        asked.push(message);
        return true;
      },
      input: async () => "unused",
    };
    const res = await runCommand(["machine", "create", "--name", "web-2", "-o", "json"], {
      env,
      transport,
      prompter,
      terminal: true,
    });
    expect(res.code).toBe(0);
    expect(asked).toEqual([
      `Partition: ${partition.id}`,
      `Size: ${size.id}`,
      `Image: ${image.id}`,
      "Network of the project: net-1",
      "SSH public key: ~/.ssh/id_ed25519.pub,none",
      "Allocate this machine?",
    ]);
    expect(res.stderr).toContain(
      [
        "Machine to allocate:",
        "  Name:       web-2",
        "  Project:    11111111-1111-4111-8111-111111111111",
        `  Partition:  ${partition.id}`,
        `  Size:       ${size.id}`,
        `  Image:      ${image.id}`,
        "  Networks:   net-1",
        "  SSH keys:   alice@laptop",
      ].join("\n"),
    );
    expect(calls.at(-1)).toEqual({
      method: "MachineService/Create",
      request: expect.objectContaining({
        project: "11111111-1111-4111-8111-111111111111",
        name: "web-2",
        partition: partition.id,
        size: size.id,
        image: image.id,
        networks: [expect.objectContaining({ network: "net-1" })],
        sshPublicKeys: [key],
      }),
    });
    expect(res.stderr).toContain(`Allocated machine ${machine.uuid} (web-2).`);
    expect(JSON.parse(res.stdout)).toMatchObject({ allocation: { name: "web-2" } });
  });

  it("create on a terminal in a project without a network says what is missing instead of an empty list", async () => {
    const { transport, calls } = api([]);
    const picked: string[] = [];
    const prompter: Prompter = {
      async pick<T>(message: string, choices: Choice<T>[]) {
        picked.push(message);
        return choices[0]!.value;
      },
      confirm: async () => true,
      input: async () => "unused",
    };
    const res = await runCommand(["machine", "create", "--name", "web-2"], {
      env,
      transport,
      prompter,
      terminal: true,
    });
    expect(res.code).toBe(2);
    expect(picked).toEqual(["Partition", "Size", "Image"]);
    expect(res.stderr).toBe(
      `Error: project 11111111-1111-4111-8111-111111111111 has no network in partition ${partition.id} to attach the machine to — allocate one with \`metalctl network allocate --name NAME --partition ${partition.id}\`, then run machine create again\n`,
    );
    expect(calls.map((c) => c.method)).not.toContain("MachineService/Create");
  });

  it("create on a terminal allocates nothing when the summary is declined", async () => {
    const { transport, calls } = api();
    const prompter: Prompter = {
      pick: async <T>(_message: string, choices: Choice<T>[]) => choices.at(-1)!.value,
      confirm: async () => false,
      input: async () => "unused",
    };
    const res = await runCommand(["machine", "create", "--name", "web-2"], {
      env,
      transport,
      prompter,
      terminal: true,
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("  SSH keys:   none\n");
    expect(res.stderr).toMatch(/Error: aborted\n$/);
    expect(calls.map((c) => c.method)).not.toContain("MachineService/Create");
  });
});
