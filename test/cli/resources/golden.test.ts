import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  type Detail,
  type OutputFormat,
  outputFormats,
  type PrintOptions,
  render,
  type View,
} from "../../../src/cli/output/printer.js";
import { parseTemplate } from "../../../src/cli/output/template.js";
import { adminMachineView } from "../../../src/cli/resources/admin-machine.js";
import { localUserView } from "../../../src/cli/resources/admin-user.js";
import { contextView } from "../../../src/cli/resources/context.js";
import { filesystemView } from "../../../src/cli/resources/filesystem.js";
import { firewallView } from "../../../src/cli/resources/firewall.js";
import { image, imageView } from "../../../src/cli/resources/image.js";
import { ip, ipView } from "../../../src/cli/resources/ip.js";
import { itemDetail } from "../../../src/cli/resources/item-detail.js";
import { eventLabel, machineStatus, machineView } from "../../../src/cli/resources/machine.js";
import { machineDetail } from "../../../src/cli/resources/machine-detail.js";
import {
  machineBmcView,
  machineEventView,
  machineIssueView,
} from "../../../src/cli/resources/machine-operations.js";
import { networkView } from "../../../src/cli/resources/network.js";
import { oidcClientView } from "../../../src/cli/resources/oidc-client.js";
import { partition, partitionView } from "../../../src/cli/resources/partition.js";
import { projectView } from "../../../src/cli/resources/project.js";
import { projectInviteJson, projectMemberView } from "../../../src/cli/resources/project-members.js";
import { sizeView } from "../../../src/cli/resources/size.js";
import { inviteDetail, inviteJson, tenantMemberView, tenantView } from "../../../src/cli/resources/tenant.js";
import { adminTokenView, mintedDetail, tokenView } from "../../../src/cli/resources/token.js";
import { sessionDetail } from "../../../src/cli/resources/user.js";
import {
  MachineLiveliness,
  MachineProvisioningEventType,
  MachineSchema,
  MachineState,
} from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import * as f from "../../fixtures/resources.js";

const NOW = f.NOW;

interface Fixture {
  name: string;
  render(format: OutputFormat, opts?: Partial<PrintOptions>): string;
}

/** fixture binds items to their view, so fixtures of different resources share one list. */
function fixture<T>(x: { name: string; view: View<T>; items: T[]; template: string }): Fixture {
  return {
    name: x.name,
    render: (format, opts = {}) =>
      render(
        { view: x.view, items: x.items, list: true },
        { format, template: parseTemplate(x.template), now: NOW, ...opts },
      ),
  };
}

const fixtures: Fixture[] = [
  fixture({
    name: "machine",
    view: machineView,
    items: [f.machine, f.lockedDeadMachine],
    template: "{{ .uuid }} {{ .allocation.name }}",
  }),
  fixture({
    name: "network",
    view: networkView,
    items: f.networks,
    template: "{{ .id }} {{ .parentNetworkId }}",
  }),
  fixture({ name: "ip", view: ipView, items: [f.ip], template: "{{ .ip }}" }),
  fixture({ name: "image", view: imageView, items: [f.image], template: "{{ .id }} {{ .os }}" }),
  fixture({ name: "partition", view: partitionView, items: [f.partition], template: "{{ .id }}" }),
  fixture({ name: "size", view: sizeView, items: [f.size], template: "{{ .id }}" }),
  fixture({ name: "filesystem", view: filesystemView, items: [f.filesystem], template: "{{ .id }}" }),
  fixture({ name: "tenant", view: tenantView, items: [f.tenant], template: "{{ .id }} {{ .email }}" }),
  fixture({ name: "admin-user", view: localUserView, items: [f.localUser], template: "{{ .id }}" }),
  fixture({ name: "oidc-client", view: oidcClientView, items: [f.oidcClient], template: "{{ .id }}" }),
  fixture({
    name: "firewall",
    view: firewallView,
    items: [f.firewall],
    template: "{{ .machine.uuid }} {{ len .rules.ingress }}",
  }),
  fixture({ name: "project", view: projectView, items: [f.project], template: "{{ .id }} {{ .name }}" }),
  fixture({
    name: "token",
    view: tokenView,
    items: [f.apiToken, f.userToken],
    template: "{{ .uuid }} {{ .tokenType }}",
  }),
  fixture({
    name: "admin token",
    view: adminTokenView,
    items: [f.apiToken, f.userToken],
    template: "{{ .uuid }} {{ .user }}",
  }),
  fixture({ name: "context", view: contextView, items: f.contexts, template: "{{ .name }} {{ .apiUrl }}" }),
  fixture({
    name: "project-member",
    view: projectMemberView,
    items: [f.projectMember],
    template: "{{ .user }} {{ .role }}",
  }),
  fixture({
    name: "tenant-member",
    view: tenantMemberView,
    items: [f.tenantMember],
    template: "{{ .user }} {{ .role }}",
  }),
  fixture({
    name: "machine-event",
    view: machineEventView,
    items: f.machineEvents,
    template: "{{ .event }}",
  }),
  fixture({
    name: "machine-issue",
    view: machineIssueView,
    items: f.machineIssues,
    template: "{{ .uuid }} {{ .type }}",
  }),
  fixture({ name: "machine-bmc", view: machineBmcView, items: [f.bmcRow], template: "{{ .address }}" }),
  fixture({
    name: "admin-machine",
    view: adminMachineView,
    items: f.adminMachineRows,
    template: "{{ .uuid }} {{ .bmc.address }}",
  }),
];

/** DETAILS are the describe printers: free text in table formats, JSON otherwise. */
const DETAILS: { name: string; detail: Detail; template: string }[] = [
  { name: "machine describe", detail: machineDetail(f.machine), template: "{{ .uuid }}" },
  {
    name: "admin machine describe",
    detail: machineDetail(f.lockedDeadMachine, {
      bmcAddress: "192.0.2.12",
      issues: f.machineIssues.slice(0, 1),
    }),
    template: "{{ .uuid }} {{ .bmc.address }}",
  },
  // Every other describe: a heading with the ID and names, then one line per column, wide ones too.
  { name: "ip describe", detail: itemDetail(ip, f.ip), template: "{{ .id }}" },
  { name: "image describe", detail: itemDetail(image, f.image), template: "{{ .id }}" },
  { name: "partition describe", detail: itemDetail(partition, f.partition), template: "{{ .id }}" },
  { name: "auth status", detail: sessionDetail(f.session), template: "{{ .user.id }} {{ .storage }}" },
  { name: "token create", detail: mintedDetail(f.minted), template: "{{ .secret }}" },
  {
    name: "project invite",
    detail: inviteDetail("project", projectInviteJson(f.projectInvite), "invite-secret-1"),
    template: "{{ .secret }}",
  },
  {
    name: "tenant invite",
    detail: inviteDetail("tenant", inviteJson(f.tenantInvite), "invite-secret-2"),
    template: "{{ .invite.role }}",
  },
];

describe("golden output of one fixture per resource in every format", () => {
  for (const x of fixtures) {
    for (const format of outputFormats as OutputFormat[]) {
      it(`${x.name} as ${format}`, () => {
        expect(x.render(format)).toMatchSnapshot();
      });
    }
    // On a terminal the table formats get a bold header and coloured cells; everything else is the same.
    for (const format of ["table", "wide"] as const) {
      it(`${x.name} as ${format} on a terminal`, () => {
        const coloured = x.render(format, { color: true });
        // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping the colour escapes under test
        expect(coloured.replace(/\x1b\[[0-9;]*m/g, "")).toBe(x.render(format));
        expect(coloured).toMatchSnapshot();
      });
    }
  }

  for (const d of DETAILS) {
    for (const format of outputFormats as OutputFormat[]) {
      it(`${d.name} as ${format}`, () => {
        const opts = { format, template: parseTemplate(d.template), now: NOW };
        const text = render(d.detail, opts);
        expect(text).toMatchSnapshot();
        // Describe printers do not colour: a terminal gets the same text.
        expect(render(d.detail, { ...opts, color: true })).toBe(text);
      });
    }
  }

  it("colours the machine status on a terminal only: alive green, dead red, columns still aligned", () => {
    const items = [f.machine, f.lockedDeadMachine];
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
    expect(render(machineDetail(f.machine), { format: "table", now: NOW })).toMatchSnapshot();
    const admin = machineDetail(f.lockedDeadMachine, {
      bmcAddress: "192.0.2.12",
      issues: f.machineIssues.slice(0, 1),
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
    const text = render({ view: networkView, items: f.networks, list: true }, { format: "table", now: NOW });
    expect(text.split("\n").map((l) => l.split(/\s{3,}/)[0])).toEqual([
      "ID",
      "tenant-super",
      "├─ net-1",
      "└─ net-2",
      "",
    ]);
  });
});
