// A small population for tests that call every procedure as every kind of caller: one account per
// role, a deactivated one, another ordinary user whose resources belong to nobody else, credits.
import { SessionManager } from "@parley/auth";
import type { Account, Role, World } from "../api/authz-matrix.ts";
import type { TestServer } from "./server.ts";
import { signUp, signUpAs } from "./users.ts";

export interface Population {
  world: World;
  /** The account acting as each role (none for anonymous). */
  callers: Record<Role, Account | null>;
  /** A new session for the account: every call gets its own, so a logout in one ends nothing else. */
  tokenFor(account: Account): Promise<string>;
}

export async function populate(server: TestServer): Promise<Population> {
  // The server's own lifetime (SESSION_TTL_DAYS' default), so the server never needs to extend them.
  const sessions = new SessionManager(server.db, { ttlDays: 30 });
  const tokenFor = async (account: Account) =>
    (await sessions.create(account.id, { userAgent: null, ipAddress: null })).token;
  const account = ({ user, input }: Awaited<ReturnType<typeof signUp>>): Account => ({
    id: user.id,
    email: input.email,
    password: input.password,
  });

  const root = await signUpAs(server, "admin");
  const [user, supervisor, admin, deactivated, other, loginAccount] = (
    await Promise.all([
      signUp(server),
      signUpAs(server, "supervisor"),
      signUpAs(server, "admin"),
      signUp(server),
      signUp(server),
      signUp(server),
    ])
  ).map(account) as [Account, Account, Account, Account, Account, Account];
  for (const funded of [user, supervisor, admin, other]) {
    await root.client.admin.credits.allocate.mutate({ userId: funded.id, credits: 10_000_000 });
  }
  await server.db.em
    .fork()
    .getConnection()
    .execute("update users set active = false where id = ?", [deactivated.id]);

  const [model] = await root.client.accounting.models.query();
  if (!model) throw new Error("the test server has no priced model");
  const asUser = async (userId: string) =>
    server.client(await tokenFor({ id: userId, email: "", password: "" }));

  const turns = new Map<string, Promise<string>>();
  /** Sends a direct message as the user and follows its stream to the final event. */
  const finishedTurn = async (userId: string) => {
    const client = await asUser(userId);
    const { turnId } = await client.sessions.direct.mutate({ content: "Hello" });
    await new Promise<void>((resolve, reject) => {
      const subscription = client.sessions.stream.subscribe(
        { turnId },
        {
          onData: ({ data }) => {
            if (data.type !== "done" && data.type !== "error") return;
            subscription.unsubscribe();
            resolve();
          },
          onError: reject,
        },
      );
    });
    return turnId;
  };

  const world: World = {
    other,
    loginAccount,
    modelId: model.modelId,
    async reservationOf(userId) {
      const client = await asUser(userId);
      const reservation = await client.accounting.streaming.initialize.mutate({
        modelId: model.modelId,
        estimatedTokens: { input: 10, output: 10 },
      });
      return reservation.sessionId;
    },
    async chatSessionOf(userId) {
      const client = await asUser(userId);
      return (await client.sessions.create.mutate({})).id;
    },
    async resetTokenFor(userId) {
      const { url } = await root.client.admin.users.createPasswordReset.mutate({ userId });
      return new URL(url).searchParams.get("token") ?? "";
    },
    async apiKeyOf(userId) {
      const client = await asUser(userId);
      return (await client.auth.apiKeys.create.mutate({ name: "world", scopes: ["chat"] })).key.id;
    },
    async invitationId() {
      return (await root.client.admin.invitations.create.mutate({})).invitation.id;
    },
    turnOf(userId) {
      let turn = turns.get(userId);
      if (!turn) {
        turn = finishedTurn(userId);
        turns.set(userId, turn);
      }
      return turn;
    },
  };
  return {
    world,
    callers: { anonymous: null, user, supervisor, admin, deactivated },
    tokenFor,
  };
}
