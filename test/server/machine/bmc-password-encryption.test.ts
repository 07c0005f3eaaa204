import { toJsonString } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { MachineServiceGetResponseSchema as AdminGetResponseSchema } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { getSize } from "../../../src/server/catalog/sizes.js";
import { demoMachines } from "../../../src/server/dev/demo-machines.js";
import type { SimulatedMachine } from "../../../src/server/dev/simulator.js";
import type { RunningServer } from "../../../src/server/server.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { createKeyEncryption, isSealed } from "../../../src/shared/key-encryption.js";
import type { TestServer } from "../../helpers/start-server.js";
import { DIALECTS, keyEncryptionHarness, OTHER, SECRET } from "../key-encryption-harness.js";
import {
  agentToken,
  clientsForUser,
  clientsWithToken,
  PARTITION,
  SIZES,
  seedTestCatalog,
} from "./fixture.js";

for (const [dialect, enabled] of DIALECTS) {
  describe.runIf(enabled)(`BMC passwords encrypted at rest on ${dialect}`, () => {
    const { start, refusal, withDb, startUseClose, expectNothingLeaked } = keyEncryptionHarness({
      dialect,
      dirPrefix: "metal-bmc-passwords-",
      config: () => ({ publicUrl: "http://metal.test" }),
    });
    let machines: SimulatedMachine[] = [];
    const passwords = () => machines.map((m) => m.bmc.password);
    const stored = () =>
      withDb((db) => db.kysely.selectFrom("machines").select(["id", "bmc_password"]).orderBy("id").execute());
    // The agent registers over the wire, as the real one does; the test server type only adds a data dir.
    const register = async (server: RunningServer, m: SimulatedMachine) => {
      const agent = clientsWithToken(server as TestServer, await agentToken(server.ctx));
      await agent.agent.register(m);
    };

    it("without a secret a registered machine's BMC password is stored as is", async () => {
      await startUseClose(undefined, async (server) => {
        await seedTestCatalog(server.ctx);
        const sizes = await Promise.all(SIZES.map((id) => getSize(server.ctx.db.kysely, id)));
        machines = demoMachines(PARTITION, sizes, ["r1"], 3, `bmc-${dialect}`);
        await register(server, machines[0]!);
      });
      const [row] = await stored();
      expect(row?.bmc_password).toBe(machines[0]?.bmc.password);
    });

    it("seals plain passwords at start with the secret and every password registered after", async () => {
      const lines = await startUseClose(SECRET, async (server) => {
        await register(server, machines[1]!);
        await ensureUser(server.ctx, { id: "ops", name: "ops", email: "", adminRole: AdminRole.EDITOR });
        const ops = await clientsForUser(server as TestServer, "ops");
        const answers = await Promise.all(
          machines.slice(0, 2).map((m) => ops.adminMachine.get({ uuid: m.uuid })),
        );
        for (const a of answers) {
          const json = toJsonString(AdminGetResponseSchema, a);
          for (const p of passwords()) expect(json).not.toContain(p);
        }
      });
      const sealedAtStart = lines
        .map((l) => JSON.parse(l) as { msg: string; machines?: number })
        .filter((l) => l.msg === "encrypted the stored BMC passwords");
      expect(sealedAtStart.map((l) => l.machines)).toEqual([1]);
      const rows = await stored();
      const encryption = createKeyEncryption(SECRET);
      for (const m of machines.slice(0, 2)) {
        const row = rows.find((r) => r.id === m.uuid);
        expect(isSealed(row?.bmc_password ?? "")).toBe(true);
        expect(row?.bmc_password).not.toContain(m.bmc.password);
        expect(encryption.open(`machines.bmc_password:${m.uuid}`, row?.bmc_password ?? "")).toBe(
          m.bmc.password,
        );
      }
    });

    it("refuses to start when a sealed password was copied to another machine, naming the machine", async () => {
      await startUseClose(SECRET, async (server) => register(server, machines[2]!));
      const rows = await stored();
      const victim = machines[2]!.uuid;
      const copied = rows.find((r) => r.id === machines[1]!.uuid)?.bmc_password ?? "";
      const original = rows.find((r) => r.id === victim)?.bmc_password ?? "";
      const setPassword = (value: string) =>
        withDb((db) =>
          db.kysely.updateTable("machines").set({ bmc_password: value }).where("id", "=", victim).execute(),
        );
      await setPassword(copied);
      const err = await refusal(SECRET);
      expect(err.message).toMatch(new RegExp(`BMC password of machine ${victim} cannot be decrypted`));
      await setPassword(original);
      const server = await start(SECRET);
      await server.close();
    });

    it("refuses to start with another secret or none; no error or log line shows a password", async () => {
      await refusal(OTHER);
      await refusal(undefined);
      expectNothingLeaked(3, passwords());
    });
  });
}
