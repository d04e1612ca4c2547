import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/errors.ts";
import { expectLedgerConsistent } from "../support/ledger.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

type Account = Awaited<ReturnType<typeof signUpAs>>;

/** Every credit movement an admin or supervisor can make, on the given account. */
const movements = (actor: Account, userId: string) => ({
  allocate: () => actor.client.admin.credits.allocate.mutate({ userId, credits: 10 }),
  set: () => actor.client.admin.credits.set.mutate({ userId, credits: 10 }),
  remove: () => actor.client.admin.credits.remove.mutate({ userId, credits: 1 }),
  adjust: () => actor.client.admin.credits.adjust.mutate({ userId, adjustment: 5 }),
});

describe("who may move credits", () => {
  let admin: Account;
  let otherAdmin: Account;
  let supervisor: Account;
  let otherSupervisor: Account;
  let user: Account;
  beforeAll(async () => {
    [admin, otherAdmin, supervisor, otherSupervisor, user] = await Promise.all([
      signUpAs(server, "admin"),
      signUpAs(server, "admin"),
      signUpAs(server, "supervisor"),
      signUpAs(server, "supervisor"),
      signUpAs(server, "user"),
    ]);
  });

  it.each(["allocate", "set", "remove", "adjust"] as const)(
    "nobody moves credits on their own account (%s)",
    async (kind) => {
      for (const actor of [admin, supervisor]) {
        expect(await failureOf(movements(actor, actor.user.id)[kind]())).toMatchObject({
          code: "FORBIDDEN",
          message: expect.stringMatching(/own account/),
        });
      }
    },
  );

  it.each(["allocate", "set", "remove", "adjust"] as const)(
    "a supervisor never moves credits on an admin's or another supervisor's account (%s)",
    async (kind) => {
      for (const target of [admin, otherSupervisor]) {
        expect(await failureOf(movements(supervisor, target.user.id)[kind]())).toMatchObject({
          code: "FORBIDDEN",
          message: expect.stringMatching(/user accounts only/),
        });
      }
    },
  );

  it("a plain user moves no credits at all, not even their own", async () => {
    for (const userId of [user.user.id, admin.user.id]) {
      expect(await failureOf(movements(user, userId).allocate())).toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("refused movements leave no trace in the ledger", async () => {
    const rows = await server.db.em
      .fork()
      .getConnection()
      .execute<{ n: string }[]>("select count(*) as n from ledger_entries where user_id in (?, ?, ?)", [
        admin.user.id,
        supervisor.user.id,
        otherSupervisor.user.id,
      ]);
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it("an admin moves credits on another admin's, a supervisor's and a user's account; each entry names the actor", async () => {
    for (const target of [otherAdmin, supervisor, user]) {
      const move = movements(admin, target.user.id);
      await move.allocate();
      await move.adjust();
      await move.remove();
      await move.set();
      const history = await admin.client.admin.credits.historyOf.query({ userId: target.user.id });
      expect(history.items.map((e) => e.type).sort()).toEqual(["adjust", "allocate", "remove", "set"]);
      for (const entry of history.items) {
        expect(entry.actor).toEqual({
          id: admin.user.id,
          displayName: admin.user.displayName,
          email: admin.user.email,
        });
      }
      await expectLedgerConsistent(server.db, target.user.id);
    }
  });

  it("a supervisor moves credits on a user's account, and the user sees who did it", async () => {
    const customer = await signUp(server);
    const move = movements(supervisor, customer.user.id);
    await move.allocate();
    await move.adjust();
    await move.remove();
    await move.set();
    const history = await customer.client.accounting.history.query({});
    expect(history.items).toHaveLength(4);
    for (const entry of history.items) {
      expect(entry.actor).toMatchObject({ id: supervisor.user.id, email: supervisor.user.email });
    }
    const stored = await server.db.em
      .fork()
      .getConnection()
      .execute<{ actor_id: string }[]>("select actor_id from ledger_entries where user_id = ?", [
        customer.user.id,
      ]);
    expect(stored.every((row) => row.actor_id === supervisor.user.id)).toBe(true);
    const [grant] = await customer.client.accounting.grants.query();
    expect(grant?.grantedBy).toMatchObject({ id: supervisor.user.id, email: supervisor.user.email });
    await expectLedgerConsistent(server.db, customer.user.id);
  });

  it("an account that does not exist is NOT_FOUND, not FORBIDDEN", async () => {
    expect(await failureOf(movements(admin, crypto.randomUUID()).allocate())).toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("admin.streaming lists", () => {
  it("without userId, recent and active are admin-only; with one, supervisors may look", async () => {
    const [admin, supervisor, user] = await Promise.all([
      signUpAs(server, "admin"),
      signUpAs(server, "supervisor"),
      signUpAs(server, "user"),
    ]);
    for (const call of [
      () => supervisor.client.admin.streaming.recent.query({}),
      () => supervisor.client.admin.streaming.active.query({}),
    ]) {
      expect(await failureOf(call())).toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await supervisor.client.admin.streaming.recent.query({ userId: user.user.id })).toEqual([]);
    expect(await supervisor.client.admin.streaming.active.query({ userId: user.user.id })).toEqual([]);
    expect(Array.isArray(await admin.client.admin.streaming.recent.query({}))).toBe(true);
    expect(await failureOf(user.client.admin.streaming.recent.query({ userId: user.user.id }))).toMatchObject(
      {
        code: "FORBIDDEN",
      },
    );
  });
});
