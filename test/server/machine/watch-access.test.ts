import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, type ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { MachineProvisioningEventType as Ev } from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { TokenService } from "../../../src/gen/metalstack/api/v2/token_pb.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import {
  addProjectViewer,
  allocateDrivenMachine,
  type Clients,
  clientsForUser,
  clientsWithToken,
  createTestProject,
  type DrivenMachine,
  seedTestCatalog,
  serviceClientForUser,
  type TestProject,
} from "./fixture.js";
import { type WatchedEvents, watchEvents } from "./watch-events.js";

/** endOrLeak waits for the watch to end or to deliver `event`, whichever happens first. */
function endOrLeak(watch: WatchedEvents, event: Ev) {
  return Promise.race([
    watch.ended.then((err) => ({ ended: err })),
    watch.saw(event).then(() => ({ leaked: watch.events })),
  ]);
}

describe("MachineService/Watch ends when the watcher's access is taken away", { timeout: 60_000 }, () => {
  let server: TestServer;
  let alice: TestProject;
  let asAlice: Clients;
  let machine: DrivenMachine;

  beforeAll(async () => {
    server = await startTestServer();
    await seedTestCatalog(server.ctx);
    alice = await createTestProject(server.ctx, "alice");
    asAlice = await clientsForUser(server, "alice");
    machine = await allocateDrivenMachine(server, alice, "watched");
  });
  afterAll(() => server?.close());

  it("stops delivering events to a viewer the owner removed from the project", async () => {
    await addProjectViewer(server.ctx, alice.projectId, "bob");
    const asBob = await clientsForUser(server, "bob");
    const bob = watchEvents(asBob.machine, alice.projectId, machine.uuid);
    await machine.report(Ev.INSTALLING);
    await bob.saw(Ev.INSTALLING);
    await asAlice.project.memberRemove({ project: alice.projectId, user: "bob" });
    // An event recorded after the removal must not reach bob, whether or not his stream already ended.
    await machine.report(Ev.BOOTING_NEW_KERNEL);
    expect(await endOrLeak(bob, Ev.BOOTING_NEW_KERNEL)).toMatchObject({
      ended: { code: Code.PermissionDenied },
    });
    expect(bob.events).not.toContain(Ev.BOOTING_NEW_KERNEL);
  });

  it("ends a watch made with an API token once the token is revoked", async () => {
    await addProjectViewer(server.ctx, alice.projectId, "carol");
    const carolTokens = await serviceClientForUser(server, TokenService, "carol");
    const { secret, token } = await carolTokens.create({
      description: "watcher",
      projectRoles: { [alice.projectId]: ProjectRole.VIEWER },
      expires: timestampFromDate(new Date(Date.now() + 3_600_000)),
    });
    const carol = watchEvents(clientsWithToken(server, secret).machine, alice.projectId, machine.uuid);
    await carol.saw(Ev.BOOTING_NEW_KERNEL);
    await carolTokens.revoke({ uuid: token?.uuid ?? "" });
    await machine.report(Ev.PHONED_HOME);
    const outcome = await endOrLeak(carol, Ev.PHONED_HOME);
    expect(outcome).toMatchObject({ ended: { code: Code.Unauthenticated } });
    expect((outcome as { ended: ConnectError }).ended.rawMessage).toMatch(/revoked/);
  });
});
