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

export interface PopulateOptions {
  /**
   * Fixture answers of three tokens, written at once, instead of the demo's 80 tokens at 40 a
   * second: for a caller that needs many answered chats before it starts. authz.test.ts keeps the
   * default: its chat cells start answers they do not wait for, and the per-user limit on running
   * answers (CHAT_MAX_CONCURRENT_TURNS, 3) leaves them room only because the fixtures take a while.
   */
  shortAnswers?: boolean;
}

export async function populate(server: TestServer, options: PopulateOptions = {}): Promise<Population> {
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
  const answers = new Map<string, Promise<string>>();
  /** Follows a turn's stream to its final event. */
  const followToEnd = (client: Awaited<ReturnType<typeof asUser>>, turnId: string) =>
    new Promise<void>((resolve, reject) => {
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
  // One answer at a time per user: the callers ask for many fixtures at once, and a user may only
  // have CHAT_MAX_CONCURRENT_TURNS answers running.
  const queues = new Map<string, Promise<unknown>>();
  const oneAtATime = <T>(userId: string, work: () => Promise<T>): Promise<T> => {
    const next = (queues.get(userId) ?? Promise.resolve()).catch(() => undefined).then(work);
    queues.set(userId, next);
    return next;
  };
  // A directive to the demo's fake Bedrock (see PopulateOptions).
  const HELLO = options.shortAnswers ? "Hello [[fake tokens=3]]" : "Hello";
  /** Sends a direct message (or the first of a new chat) as the user and follows it to the end. */
  const finishedTurn = (userId: string, inChat = false) =>
    oneAtATime(userId, () => answeredTurn(userId, inChat));
  const answeredTurn = async (userId: string, inChat: boolean) => {
    const client = await asUser(userId);
    const { turnId } = inChat
      ? await client.sessions.send.mutate({ content: HELLO })
      : await client.sessions.direct.mutate({ content: HELLO });
    await followToEnd(client, turnId);
    return turnId;
  };
  /** A chat with one question and its stored answer; returns the answer's message id. */
  const storedAnswer = (userId: string) => oneAtATime(userId, () => answerIn(userId));
  const answerIn = async (userId: string) => {
    const client = await asUser(userId);
    const { id: sessionId } = await client.sessions.create.mutate({});
    const { turnId } = await client.sessions.send.mutate({ sessionId, content: HELLO });
    await followToEnd(client, turnId);
    const [answer] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ id: string }[]>("select id from chat_messages where session_id = ? and role = 'assistant'", [
        sessionId,
      ]);
    if (!answer) throw new Error("the answer was not stored");
    return answer.id;
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
    async presetOf(userId) {
      const client = await asUser(userId);
      return (await client.presets.create.mutate({ name: "world", systemPrompt: "Be brief." })).id;
    },
    async invitationId() {
      return (await root.client.admin.invitations.create.mutate({})).invitation.id;
    },
    async chatMessageOf(userId, role) {
      await finishedTurn(userId, true);
      const [row] = await server.db.em
        .fork()
        .getConnection()
        .execute<{ id: string }[]>(
          `select m.id from chat_messages m join chat_sessions s on s.id = m.session_id
            where s.user_id = ? and m.role = ? order by m.created_at desc limit 1`,
          [userId, role],
        );
      if (!row) throw new Error("the chat stored no message");
      return row.id;
    },
    turnOf(userId) {
      let turn = turns.get(userId);
      if (!turn) {
        turn = finishedTurn(userId);
        turns.set(userId, turn);
      }
      return turn;
    },
    answerOf(userId) {
      let answer = answers.get(userId);
      if (!answer) {
        answer = storedAnswer(userId);
        answers.set(userId, answer);
      }
      return answer;
    },
    async sharedChatOf(userId) {
      const client = await asUser(userId);
      const { id: sessionId } = await client.sessions.create.mutate({});
      return (await client.sessions.share.mutate({ sessionId })).shareId;
    },
  };
  return {
    world,
    callers: { anonymous: null, user, supervisor, admin, deactivated },
    tokenFor,
  };
}
