import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { type OutputFormat, outputFormats, render, type View } from "../../../src/cli/output/printer.js";
import { localUserView } from "../../../src/cli/resources/admin-user.js";
import { filesystemView } from "../../../src/cli/resources/filesystem.js";
import { imageView } from "../../../src/cli/resources/image.js";
import { ipView } from "../../../src/cli/resources/ip.js";
import { eventLabel, machineStatus, machineView } from "../../../src/cli/resources/machine.js";
import { machineDetail } from "../../../src/cli/resources/machine-detail.js";
import { networkTree, networkView } from "../../../src/cli/resources/network.js";
import { oidcClientView } from "../../../src/cli/resources/oidc-client.js";
import { partitionView } from "../../../src/cli/resources/partition.js";
import { sizeView } from "../../../src/cli/resources/size.js";
import { tenantView } from "../../../src/cli/resources/tenant.js";
import { MachineIssueSchema, MachineIssueType } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { OidcClientSchema } from "../../../src/gen/metalstack/admin/v2/oidc_client_pb.js";
import { LocalRole, LocalUserSchema } from "../../../src/gen/metalstack/admin/v2/user_pb.js";
import {
  FilesystemFormat,
  FilesystemLayoutSchema,
} from "../../../src/gen/metalstack/api/v2/filesystem_pb.js";
import {
  ImageClassification,
  ImageFeature,
  ImageSchema,
} from "../../../src/gen/metalstack/api/v2/image_pb.js";
import { IPSchema, IPType } from "../../../src/gen/metalstack/api/v2/ip_pb.js";
import {
  MachineBootDevice,
  MachineLedState,
  MachineLiveliness,
  MachinePowerState,
  MachineProvisioningEventType,
  MachineSchema,
  MachineState,
} from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { NetworkSchema, NetworkType } from "../../../src/gen/metalstack/api/v2/network_pb.js";
import { PartitionSchema } from "../../../src/gen/metalstack/api/v2/partition_pb.js";
import { SizeConstraintType, SizeSchema } from "../../../src/gen/metalstack/api/v2/size_pb.js";
import { TenantSchema } from "../../../src/gen/metalstack/api/v2/tenant_pb.js";

const NOW = new Date("2026-11-20T12:00:00Z");
const ts = (iso: string) => timestampFromDate(new Date(iso));
const meta = (labels: Record<string, string> = {}) => ({
  generation: 3n,
  createdAt: ts("2026-11-18T12:00:00Z"),
  updatedAt: ts("2026-11-19T12:00:00Z"),
  labels,
});

const machine = create(MachineSchema, {
  uuid: "0b0c6d3e-1111-4a4a-9c9c-000000000001",
  meta: meta({ env: "prod", tier: "web" }),
  partition: "fra-equ01",
  size: "c1-medium-x86",
  rack: "rack-1",
  state: MachineState.AVAILABLE,
  hardware: { cpuCores: 16, memory: 68719476736n },
  allocation: {
    uuid: "a1",
    project: "p1",
    name: "web-1",
    hostname: "web-1.example",
    image: "ubuntu-24.04",
    networks: [
      { network: "net-1", ips: ["10.0.0.5"] },
      { network: "internet", ips: ["203.0.113.7"] },
    ],
    createdAt: ts("2026-11-20T11:00:00Z"),
  },
  status: {
    liveliness: MachineLiveliness.ALIVE,
    lastEvent: MachineProvisioningEventType.PHONED_HOME,
    lastEventTime: ts("2026-11-20T11:05:00Z"),
  },
  management: {
    power: MachinePowerState.ON,
    nextBoot: MachineBootDevice.DISK,
    identifyLed: MachineLedState.OFF,
    updatedAt: ts("2026-11-20T11:01:00Z"),
  },
  recentProvisioningEvents: {
    events: [
      {
        time: ts("2026-11-20T11:02:00Z"),
        event: MachineProvisioningEventType.INSTALLING,
        message: "installing",
      },
      { time: ts("2026-11-20T11:05:00Z"), event: MachineProvisioningEventType.PHONED_HOME, message: "up" },
    ],
  },
});

/** A machine an operator locked after it crashed repeatedly and went silent: "dead, crash loop, locked". */
const lockedDeadMachine = create(MachineSchema, {
  uuid: "0b0c6d3e-1111-4a4a-9c9c-000000000002",
  meta: meta(),
  partition: "fra-equ01",
  size: "c1-medium-x86",
  rack: "rack-2",
  state: MachineState.LOCKED,
  stateDescription: "disk replacement",
  hardware: { cpuCores: 16, memory: 68719476736n },
  status: {
    liveliness: MachineLiveliness.DEAD,
    lastEvent: MachineProvisioningEventType.CRASHING,
    lastEventTime: ts("2026-11-18T09:30:00Z"),
    crashLoop: true,
  },
});

const networks = networkTree([
  create(NetworkSchema, {
    id: "tenant-super",
    name: "tenant super network",
    type: NetworkType.SUPER,
    partition: "fra-equ01",
    prefixes: ["10.128.0.0/14"],
    meta: meta(),
  }),
  create(NetworkSchema, {
    id: "net-1",
    name: "my-net",
    type: NetworkType.CHILD,
    project: "p1",
    partition: "fra-equ01",
    prefixes: ["10.128.0.0/22"],
    parentNetworkId: "tenant-super",
    vrf: 42,
    meta: meta({ team: "a" }),
  }),
  create(NetworkSchema, {
    id: "net-2",
    name: "other",
    type: NetworkType.CHILD,
    project: "p1",
    partition: "fra-equ01",
    prefixes: ["10.128.4.0/22"],
    parentNetworkId: "tenant-super",
    meta: meta(),
  }),
]);

interface Fixture {
  name: string;
  render(format: OutputFormat): string;
}

/** fixture binds items to their view, so fixtures of different resources share one list. */
function fixture<T>(f: { name: string; view: View<T>; items: T[]; template: string }): Fixture {
  return {
    name: f.name,
    render: (format) =>
      render({ view: f.view, items: f.items, list: true }, { format, template: f.template, now: NOW }),
  };
}

const fixtures: Fixture[] = [
  fixture({
    name: "machine",
    view: machineView,
    items: [machine, lockedDeadMachine],
    template: "{{ .uuid }} {{ .allocation.name }}",
  }),
  fixture({
    name: "network",
    view: networkView,
    items: networks,
    template: "{{ .id }} {{ .parentNetworkId }}",
  }),
  fixture({
    name: "ip",
    view: ipView,
    items: [
      create(IPSchema, {
        id: "ip-1",
        ip: "203.0.113.7",
        project: "p1",
        network: "internet",
        name: "web",
        type: IPType.IP_TYPE_STATIC,
        machineId: machine.uuid,
        meta: meta(),
      }),
    ],
    template: "{{ .ip }}",
  }),
  fixture({
    name: "image",
    view: imageView,
    items: [
      create(ImageSchema, {
        id: "ubuntu-24.04.20251120",
        name: "Ubuntu 24.04",
        os: "ubuntu",
        version: "24.04.20251120",
        url: "https://images.example/ubuntu.tar.lz4",
        features: [ImageFeature.MACHINE],
        classification: ImageClassification.SUPPORTED,
        expiresAt: ts("2027-05-01T00:00:00Z"),
        meta: meta(),
      }),
    ],
    template: "{{ .id }} {{ .os }}",
  }),
  fixture({
    name: "partition",
    view: partitionView,
    items: [
      create(PartitionSchema, {
        id: "fra-equ01",
        description: "Frankfurt",
        bootConfiguration: {
          imageUrl: "https://boot/img",
          kernelUrl: "https://boot/kernel",
          commandline: "console=ttyS0",
        },
        meta: meta(),
      }),
    ],
    template: "{{ .id }}",
  }),
  fixture({
    name: "size",
    view: sizeView,
    items: [
      create(SizeSchema, {
        id: "c1-medium-x86",
        name: "c1-medium-x86",
        constraints: [
          { type: SizeConstraintType.CORES, min: 16n, max: 16n },
          { type: SizeConstraintType.MEMORY, min: 68719476736n, max: 137438953472n },
          { type: SizeConstraintType.STORAGE, min: 960000000000n, max: 3840000000000n },
        ],
        meta: meta(),
      }),
    ],
    template: "{{ .id }}",
  }),
  fixture({
    name: "filesystem",
    view: filesystemView,
    items: [
      create(FilesystemLayoutSchema, {
        id: "default",
        name: "default",
        filesystems: [
          { device: "/dev/sda1", format: FilesystemFormat.VFAT, path: "/boot/efi" },
          { device: "/dev/sda2", format: FilesystemFormat.EXT4, path: "/" },
        ],
        constraints: { sizes: ["c1-*"], images: { ubuntu: ">= 22.04" } },
        meta: meta(),
      }),
    ],
    template: "{{ .id }}",
  }),
  fixture({
    name: "tenant",
    view: tenantView,
    items: [
      create(TenantSchema, {
        id: "acme",
        name: "ACME",
        email: "ops@acme.example",
        createdBy: "alice",
        meta: meta(),
      }),
    ],
    template: "{{ .id }} {{ .email }}",
  }),
  fixture({
    name: "admin-user",
    view: localUserView,
    items: [
      create(LocalUserSchema, {
        id: "alice",
        name: "Alice",
        email: "alice@example.com",
        roles: [LocalRole.CLUSTER_ADMIN],
        failedLogins: 2,
        meta: meta(),
      }),
    ],
    template: "{{ .id }}",
  }),
  fixture({
    name: "oidc-client",
    view: oidcClientView,
    items: [
      create(OidcClientSchema, {
        id: "grafana",
        name: "Grafana",
        redirectUris: ["https://grafana.example/login/generic_oauth"],
        createdAt: ts("2026-11-01T00:00:00Z"),
      }),
    ],
    template: "{{ .id }}",
  }),
];

describe("golden output of one fixture per resource in every format", () => {
  for (const f of fixtures) {
    for (const format of outputFormats as OutputFormat[]) {
      it(`${f.name} as ${format}`, () => {
        expect(f.render(format)).toMatchSnapshot();
      });
    }
  }

  it("colours the machine status on a terminal only: alive green, dead red, columns still aligned", () => {
    const items = [machine, lockedDeadMachine];
    const plain = render({ view: machineView, items, list: true }, { format: "wide", now: NOW });
    const coloured = render(
      { view: machineView, items, list: true },
      { format: "wide", color: true, now: NOW },
    );
    expect(plain).not.toContain("\x1b[");
    expect(coloured).toContain("\x1b[32malive\x1b[0m");
    expect(coloured).toContain("\x1b[31mdead, crash loop, locked\x1b[0m");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping the colour escapes under test
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, "")).toBe(plain);
    const md = render(
      { view: machineView, items, list: true },
      { format: "markdown", color: true, now: NOW },
    );
    expect(md).not.toContain("\x1b[3");
  });

  it("describes a machine as a block: state, management, networks and events; operators also see BMC and issues", () => {
    expect(render(machineDetail(machine), { format: "table", now: NOW })).toMatchSnapshot();
    const admin = machineDetail(lockedDeadMachine, {
      bmcAddress: "192.0.2.12",
      issues: [
        create(MachineIssueSchema, {
          uuid: lockedDeadMachine.uuid,
          type: MachineIssueType.CRASH_LOOP,
          description: "3 Crashing events since it last reached Waiting or Phoned Home",
        }),
      ],
    });
    expect(render(admin, { format: "table", now: NOW })).toMatchSnapshot();
    const json = JSON.parse(render(admin, { format: "json", now: NOW }));
    expect(json.bmc).toEqual({ address: "192.0.2.12" });
    expect(json.issues).toEqual([expect.objectContaining({ type: "MACHINE_ISSUE_TYPE_CRASH_LOOP" })]);
  });

  it("marks reserved machines and shows - when neither liveliness nor a marker is known", () => {
    const reserved = create(MachineSchema, {
      state: MachineState.RESERVED,
      status: { liveliness: MachineLiveliness.UNKNOWN },
    });
    expect(machineStatus(reserved)).toBe("unknown, reserved");
    expect(machineStatus(create(MachineSchema, { state: MachineState.AVAILABLE }))).toBe("-");
    expect(eventLabel(MachineProvisioningEventType.PXE_BOOTING)).toBe("PXE Booting");
    expect(eventLabel(MachineProvisioningEventType.BOOTING_NEW_KERNEL)).toBe("Booting New Kernel");
  });

  it("draws the network tree with children under their parent", () => {
    const text = render({ view: networkView, items: networks, list: true }, { format: "table", now: NOW });
    expect(text.split("\n").map((l) => l.split(/\s{3,}/)[0])).toEqual([
      "ID",
      "tenant-super",
      "├─ net-1",
      "└─ net-2",
      "",
    ]);
  });
});
