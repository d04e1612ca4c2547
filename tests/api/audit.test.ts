import { createParleyClient } from "@parley/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/errors.ts";
import { rest } from "../support/rest.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

let server: TestServer;
let admin: Awaited<ReturnType<typeof signUpAs>>;
beforeAll(async () => {
  server = await startTestServer();
  admin = await signUpAs(server, "admin");
});
afterAll(() => server?.close());

let requestCounter = 0;
/** A client whose every request carries a fresh X-Request-Id, returned alongside. */
function tracedClient(token: string) {
  requestCounter += 1;
  const requestId = `audit-test-${process.pid}-${requestCounter}`;
  return {
    requestId,
    client: createParleyClient({ url: server.url, token, headers: { "x-request-id": requestId } }),
  };
}

interface StoredEvent {
  actor_id: string;
  actor_role: string;
  action: string;
  target_type: string;
  target_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  request_id: string | null;
  ip_address: string | null;
  created_at: Date | string;
}

/** The audit rows one request wrote, read straight from the table. */
function eventsOf(requestId: string): Promise<StoredEvent[]> {
  return server.db.em
    .fork()
    .getConnection()
    .execute<StoredEvent[]>("select * from audit_events where request_id = ? order by action", [requestId]);
}

async function countEvents(): Promise<number> {
  const [row] = await server.db.em
    .fork()
    .getConnection()
    .execute<{ count: string }[]>("select count(*) as count from audit_events");
  return Number(row?.count);
}

describe("each audited action writes one record with actor, target, before/after and request id", () => {
  it("user.role and user.active (one record per field that changes)", async () => {
    const target = await signUp(server);
    const { client, requestId } = tracedClient(admin.token);
    await client.admin.users.update.mutate({ userId: target.user.id, role: "supervisor", active: false });
    const events = await eventsOf(requestId);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      actor_id: admin.user.id,
      actor_role: "admin",
      action: "user.active",
      target_type: "user",
      target_id: target.user.id,
      before: { active: true },
      after: { active: false },
      request_id: requestId,
    });
    expect(events[0]?.ip_address).toBeTruthy();
    expect(Number.isNaN(new Date(events[0]?.created_at ?? "").getTime())).toBe(false);
    expect(events[1]).toMatchObject({
      action: "user.role",
      before: { role: "user" },
      after: { role: "supervisor" },
    });

    // Nothing changes, nothing is recorded.
    const again = tracedClient(admin.token);
    await again.client.admin.users.update.mutate({ userId: target.user.id, role: "supervisor" });
    expect(await eventsOf(again.requestId)).toHaveLength(0);
  });

  it("user.create and user.passwordReset", async () => {
    const { client, requestId } = tracedClient(admin.token);
    const { user } = await client.admin.users.create.mutate({
      email: `made${Date.now()}@example.com`,
      username: `made${Date.now()}`,
      role: "supervisor",
    });
    const events = await eventsOf(requestId);
    expect(events.map((e) => e.action)).toEqual(["user.create", "user.passwordReset"]);
    expect(events[0]).toMatchObject({
      actor_id: admin.user.id,
      target_type: "user",
      target_id: user.id,
      before: null,
      after: { email: user.email, role: "supervisor", active: true, passwordSet: false },
    });

    const reset = tracedClient(admin.token);
    await reset.client.admin.users.createPasswordReset.mutate({ userId: user.id });
    const [event] = await eventsOf(reset.requestId);
    expect(event).toMatchObject({ action: "user.passwordReset", target_id: user.id, before: null });
    expect(typeof event?.after?.expiresAt).toBe("string");
  });

  it("every credit movement, over tRPC and over REST, with the balance before and after", async () => {
    const target = await signUp(server);
    const supervisor = await signUpAs(server, "supervisor");
    const calls = [
      {
        action: "credits.allocate",
        run: (c: ReturnType<typeof tracedClient>["client"]) =>
          c.admin.credits.allocate.mutate({ userId: target.user.id, credits: 100, notes: "start" }),
        before: 0,
        after: 100,
      },
      {
        action: "credits.remove",
        run: (c: ReturnType<typeof tracedClient>["client"]) =>
          c.admin.credits.remove.mutate({ userId: target.user.id, credits: 30 }),
        before: 100,
        after: 70,
      },
      {
        action: "credits.adjust",
        run: (c: ReturnType<typeof tracedClient>["client"]) =>
          c.admin.credits.adjust.mutate({ userId: target.user.id, adjustment: -20 }),
        before: 70,
        after: 50,
      },
      {
        action: "credits.set",
        run: (c: ReturnType<typeof tracedClient>["client"]) =>
          c.admin.credits.set.mutate({ userId: target.user.id, credits: 400 }),
        before: 50,
        after: 400,
      },
    ];
    for (const call of calls) {
      const { client, requestId } = tracedClient(supervisor.token);
      await call.run(client);
      const events = await eventsOf(requestId);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        actor_id: supervisor.user.id,
        actor_role: "supervisor",
        action: call.action,
        target_type: "user",
        target_id: target.user.id,
        before: { balance: call.before, held: 0, available: call.before },
        after: { balance: call.after, held: 0, available: call.after },
        request_id: requestId,
      });
    }

    const requestId = `audit-rest-${process.pid}`;
    const reply = await rest(server, "POST", "/api/credits/allocate", {
      token: admin.token,
      body: { userId: target.user.id, credits: 5, notes: "over REST" },
      headers: { "x-request-id": requestId },
    });
    expect(reply.status).toBe(200);
    expect(await eventsOf(requestId)).toMatchObject([
      {
        actor_id: admin.user.id,
        action: "credits.allocate",
        before: { balance: 400 },
        after: { balance: 405, amount: 5, notes: "over REST" },
      },
    ]);
  });

  it("price.update", async () => {
    const [model] = await admin.client.admin.pricing.list.query();
    if (!model) throw new Error("the test server has no models");
    const { client, requestId } = tracedClient(admin.token);
    await client.admin.pricing.update.mutate({ modelId: model.modelId, inputPer1k: model.inputPer1k + 7 });
    expect(await eventsOf(requestId)).toMatchObject([
      {
        action: "price.update",
        target_type: "model",
        target_id: model.modelId,
        before: { inputPer1k: model.inputPer1k, outputPer1k: model.outputPer1k },
        after: { inputPer1k: model.inputPer1k + 7, outputPer1k: model.outputPer1k },
      },
    ]);
  });

  it("apikey.revoke", async () => {
    const owner = await signUp(server);
    const { key } = await owner.client.auth.apiKeys.create.mutate({ name: "to revoke", scopes: ["chat"] });
    const { client, requestId } = tracedClient(owner.token);
    await client.auth.apiKeys.revoke.mutate({ id: key.id });
    const [event] = await eventsOf(requestId);
    expect(event).toMatchObject({
      actor_id: owner.user.id,
      actor_role: "user",
      action: "apikey.revoke",
      target_type: "apikey",
      target_id: key.id,
      before: { name: "to revoke", ownerId: owner.user.id, revokedAt: null },
    });
    expect(typeof event?.after?.revokedAt).toBe("string");
  });

  it("invitation.create and invitation.revoke", async () => {
    const created = tracedClient(admin.token);
    const { invitation } = await created.client.admin.invitations.create.mutate({
      email: "invited@example.com",
      role: "supervisor",
    });
    expect(await eventsOf(created.requestId)).toMatchObject([
      {
        action: "invitation.create",
        target_type: "invitation",
        target_id: invitation.id,
        before: null,
        after: { email: "invited@example.com", role: "supervisor" },
      },
    ]);
    const revoked = tracedClient(admin.token);
    await revoked.client.admin.invitations.revoke.mutate({ id: invitation.id });
    expect(await eventsOf(revoked.requestId)).toMatchObject([
      {
        action: "invitation.revoke",
        target_id: invitation.id,
        before: { status: "pending", revokedAt: null },
        after: { status: "revoked" },
      },
    ]);
  });
});

describe("concurrent movements on one account", () => {
  it("each record's before is the previous one's after: the lock is taken before reading", async () => {
    const target = await signUp(server);
    const amounts = [1, 2, 4, 8, 16, 32];
    await Promise.all(
      amounts.map((credits) =>
        tracedClient(admin.token).client.admin.credits.allocate.mutate({ userId: target.user.id, credits }),
      ),
    );
    const page = await admin.client.admin.audit.list.query({ targetId: target.user.id, size: 100 });
    const steps = page.items
      .map((e) => ({
        before: Number(e.before?.balance),
        after: Number(e.after?.balance),
        amount: Number(e.after?.amount),
      }))
      .sort((a, b) => a.before - b.before);
    expect(steps).toHaveLength(amounts.length);
    expect(steps[0]?.before).toBe(0);
    for (const [i, step] of steps.entries()) {
      expect(step.after).toBe(step.before + step.amount);
      if (i > 0) expect(step.before).toBe(steps[i - 1]?.after);
    }
    expect(steps.at(-1)?.after).toBe(63);
  });
});

describe("refused actions leave no record", () => {
  it("FORBIDDEN, a failing ledger movement, NOT_FOUND", async () => {
    const target = await signUp(server);
    const supervisor = await signUpAs(server, "supervisor");
    const before = await countEvents();

    const forbidden = tracedClient(supervisor.token);
    expect(
      await failureOf(forbidden.client.admin.users.update.mutate({ userId: target.user.id, active: false })),
    ).toMatchObject({ code: "FORBIDDEN" });
    // Supervisors cannot fund an admin: refused before the ledger is touched.
    expect(
      await failureOf(forbidden.client.admin.credits.allocate.mutate({ userId: admin.user.id, credits: 5 })),
    ).toMatchObject({ code: "FORBIDDEN" });

    // The ledger refuses removing more than there is: the movement's transaction rolls back whole.
    const failing = tracedClient(admin.token);
    const failure = await failureOf(
      failing.client.admin.credits.remove.mutate({ userId: target.user.id, credits: 10 }),
    );
    expect(failure.code).toMatch(/BAD_REQUEST|PAYMENT_REQUIRED|CONFLICT/);
    expect(
      await failureOf(
        failing.client.admin.pricing.update.mutate({ modelId: "no-such-model", inputPer1k: 1 }),
      ),
    ).toMatchObject({ code: "NOT_FOUND" });
    // An admin cannot demote themselves.
    expect(
      await failureOf(failing.client.admin.users.update.mutate({ userId: admin.user.id, role: "user" })),
    ).toMatchObject({ code: "FORBIDDEN" });

    expect(await eventsOf(forbidden.requestId)).toHaveLength(0);
    expect(await eventsOf(failing.requestId)).toHaveLength(0);
    expect(await countEvents()).toBe(before);
  });
});

describe("the table is append-only", () => {
  it("refuses UPDATE, DELETE and TRUNCATE", async () => {
    const target = await signUp(server);
    await admin.client.admin.credits.allocate.mutate({ userId: target.user.id, credits: 1 });
    const connection = server.db.em.fork().getConnection();
    await expect(connection.execute("update audit_events set action = 'user.role'")).rejects.toThrow(
      /append-only/,
    );
    await expect(connection.execute("delete from audit_events")).rejects.toThrow(/append-only/);
    await expect(connection.execute("truncate audit_events")).rejects.toThrow(/append-only/);
    expect(await countEvents()).toBeGreaterThan(0);
  });
});

describe("admin.audit.list", () => {
  it("lists newest first with names, filters by actor, target and action, and pages", async () => {
    const otherAdmin = await signUpAs(server, "admin");
    const target = await signUp(server);
    for (const credits of [1, 2, 3]) {
      await otherAdmin.client.admin.credits.allocate.mutate({ userId: target.user.id, credits });
    }
    await otherAdmin.client.admin.users.update.mutate({ userId: target.user.id, role: "supervisor" });

    const byActor = await admin.client.admin.audit.list.query({ actorId: otherAdmin.user.id, size: 2 });
    expect(byActor).toMatchObject({ total: 4, pages: 2, page: 1, size: 2 });
    expect(byActor.items.map((e) => e.action)).toEqual(["user.role", "credits.allocate"]);
    expect(byActor.items[0]).toMatchObject({
      actor: {
        id: otherAdmin.user.id,
        role: "admin",
        displayName: otherAdmin.user.displayName,
        email: otherAdmin.user.email,
      },
      targetType: "user",
      targetId: target.user.id,
      targetUser: { id: target.user.id, displayName: target.user.displayName, email: target.user.email },
      before: { role: "user" },
      after: { role: "supervisor" },
    });
    expect(byActor.items[0]?.createdAt).toBeInstanceOf(Date);
    const second = await admin.client.admin.audit.list.query({
      actorId: otherAdmin.user.id,
      size: 2,
      page: 2,
    });
    expect(second.items.map((e) => e.after?.amount)).toEqual([2, 1]);
    const past = await admin.client.admin.audit.list.query({ actorId: otherAdmin.user.id, size: 2, page: 9 });
    expect(past).toMatchObject({ total: 4, items: [] });

    const byTargetAndAction = await admin.client.admin.audit.list.query({
      targetId: target.user.id,
      action: "credits.allocate",
    });
    expect(byTargetAndAction.total).toBe(3);
    expect(byTargetAndAction.items.every((e) => e.action === "credits.allocate")).toBe(true);

    const all = await admin.client.admin.audit.list.query();
    expect(all.total).toBe(await countEvents());
    const times = all.items.map((e) => e.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("refuses bad filters, and everyone but admins", async () => {
    expect(
      await failureOf(admin.client.admin.audit.list.query({ action: "user.delete" as "user.role" })),
    ).toMatchObject({ code: "BAD_REQUEST" });
    expect(await failureOf(admin.client.admin.audit.list.query({ actorId: "nope" }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await failureOf(server.client().admin.audit.list.query())).toMatchObject({ code: "UNAUTHORIZED" });
    for (const role of ["user", "supervisor"] as const) {
      const { client } = await signUpAs(server, role);
      expect(await failureOf(client.admin.audit.list.query())).toMatchObject({ code: "FORBIDDEN" });
    }
  });
});
