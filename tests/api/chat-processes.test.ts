// Chat turns across real server processes: two processes on one PostgreSQL database and one
// Redis (TEST_REDIS_URL, the local one; a private redis-server where a test stops Redis), talking
// to the fake Bedrock. Sends, streams, resumes and stops land on different processes; a process
// is killed mid-answer.
import { fakeText } from "@parley/agent/fake-bedrock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { eventsOfType, type ReceivedEvent, streamTurn, textOf } from "../support/chat.ts";
import { failureOf } from "../support/errors.ts";
import { expectLedgerConsistent } from "../support/ledger.ts";
import { type Cluster, startCluster, startRedis, startServerProcess } from "../support/processes.ts";
import { signUp } from "../support/users.ts";

const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
const PRICES = JSON.stringify({ [MODEL]: { inputPer1k: 1000, outputPer1k: 1000 } });

const redis = { url: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379" };
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ processes: 2, redisUrl: redis.url, env: { MODEL_PRICES: PRICES } });
});
afterAll(() => cluster?.close());

const a = () => cluster.view(0);
const b = () => cluster.view(1);

async function chatter(credits = 100_000) {
  const { user } = await fundedUser(a(), credits);
  const session = await user.client.sessions.create.mutate({});
  return { ...user, session, onA: user.client, onB: b().client(user.token) };
}

const turnRow = async (turnId: string) => {
  const [row] = await cluster.db.em
    .fork()
    .getConnection()
    .execute<{ status: string; owner: string }[]>("select status, owner from chat_turns where id = ?", [
      turnId,
    ]);
  return row;
};
const usageCount = async (turnId: string) => {
  const [row] = await cluster.db.em
    .fork()
    .getConnection()
    .execute<{ n: string }[]>("select count(*) as n from usage_records where reservation_id = ?", [turnId]);
  return Number(row?.n);
};

describe("two server processes on one Redis", () => {
  it("send on A, stream on B, resume alternately on A and B: every token once, in order, equal to the stored answer", async () => {
    const { onA, onB, session, user } = await chatter();
    const { turnId } = await onA.sessions.send.mutate({
      sessionId: session.id,
      content: "relay [[fake tokens=80 rate=80]]",
    });
    const received: ReceivedEvent[] = [];
    let lastEventId: string | null = null;
    for (let hop = 0; ; hop++) {
      const stream = streamTurn(hop % 2 === 0 ? onB : onA, turnId, lastEventId);
      const events = await stream.until(
        (seen) => seen.some((e) => e.event.type === "done") || eventsOfType(seen, "token").length >= 6,
      );
      stream.disconnect();
      received.push(...events);
      lastEventId = events.at(-1)?.id ?? lastEventId;
      if (events.some((e) => e.event.type === "done")) break;
    }
    const ids = received.map((e) => Number(e.id));
    expect(ids).toEqual(ids.map((_, i) => i + 1)); // 1, 2, 3, …: nothing lost, nothing repeated
    expect(textOf(received)).toBe(fakeText(80));
    const stored = (await onB.sessions.get.query({ sessionId: session.id })).messages[1];
    expect(stored).toMatchObject({ status: "complete", content: textOf(received) });
    await expectLedgerConsistent(cluster.db, user.id);
  });

  it("stop on B ends a turn running on A: stored incomplete, charged as produced, nothing held", async () => {
    const { onA, onB, session, user } = await chatter();
    const { turnId } = await onA.sessions.send.mutate({
      sessionId: session.id,
      content: "long [[fake tokens=400 rate=50]]",
    });
    const watcher = streamTurn(onA, turnId);
    await watcher.until((events) => eventsOfType(events, "token").length >= 5);
    expect(await onB.sessions.active.query()).toEqual([
      expect.objectContaining({ turnId, sessionId: session.id }),
    ]);
    expect(await onB.sessions.stop.mutate({ turnId })).toEqual({ stopped: true });
    const events = await watcher.finished;
    const [done] = eventsOfType(events, "done");
    expect(done?.status).toBe("incomplete");
    const answer = (await onB.sessions.get.query({ sessionId: session.id })).messages[1];
    expect(answer?.status).toBe("incomplete");
    expect(answer?.outputTokens).toBe(answer?.content.trim().split(" ").length);
    expect(answer?.credits).toBe(done?.creditsCharged);
    expect(await onB.accounting.balance.query()).toMatchObject({ held: 0 });
    expect(await onA.sessions.active.query()).toEqual([]);
    await expectLedgerConsistent(cluster.db, user.id);
  });

  it("two concurrent sends with the same clientRequestId on A and B give one turn: one message, one charge", async () => {
    const { onA, onB, session, user } = await chatter();
    const clientRequestId = crypto.randomUUID();
    const input = { sessionId: session.id, content: "once [[fake tokens=5]]", clientRequestId };
    const [first, second] = await Promise.all([
      onA.sessions.send.mutate(input),
      onB.sessions.send.mutate(input),
    ]);
    expect(second).toEqual(first);
    await streamTurn(onB, first.turnId).finished;
    const detail = await onA.sessions.get.query({ sessionId: session.id });
    expect(detail.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(await usageCount(first.turnId)).toBe(1);
    // A retry long after returns the same turn too.
    expect(await onB.sessions.send.mutate(input)).toEqual(first);
    await expectLedgerConsistent(cluster.db, user.id);
  });

  it("kill -9 of the process running a turn: the survivor settles it within 60 s and its follower gets INTERRUPTED", async () => {
    const { onA, session, user, token } = await chatter();
    // A third process, so the cluster keeps its two for the other tests.
    const victim = await startServerProcess({
      DATABASE_URL: cluster.databaseUrl,
      BEDROCK_ENDPOINT: cluster.fake.url,
      REDIS_URL: redis.url,
      MODEL_PRICES: PRICES,
    });
    const onVictim = victim.client(token);
    const { turnId } = await onVictim.sessions.send.mutate({
      sessionId: session.id,
      content: "doomed [[fake tokens=2000 rate=40]]",
    });
    const watcher = streamTurn(b().client(token), turnId);
    // Let a checkpoint (every 2 s) record some progress, then kill.
    await watcher.until((events) => eventsOfType(events, "token").length >= 100);
    await victim.kill();
    const killedAt = Date.now();

    const events = await watcher.finished;
    const [error] = eventsOfType(events, "error");
    expect(error?.code).toBe("INTERRUPTED");
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    expect((await turnRow(turnId))?.status).toBe("interrupted");
    expect(await onA.accounting.balance.query()).toMatchObject({ held: 0 });
    const answer = (await onA.sessions.get.query({ sessionId: session.id })).messages[1];
    expect(answer?.status).toBe("incomplete");
    expect(answer?.content.length).toBeGreaterThan(0);
    expect(textOf(events).startsWith(answer?.content ?? "x")).toBe(true); // the checkpoint: a prefix of what was seen
    expect(answer?.outputTokens).toBe(answer?.content.trim().split(" ").length);
    expect(answer?.credits).toBeGreaterThan(0);
    expect(error?.creditsCharged).toBe(answer?.credits);
    expect(await usageCount(turnId)).toBe(1);
    await expectLedgerConsistent(cluster.db, user.id);
  }, 90_000);

  it("a process beats one heartbeat row however many turns it runs, and a clean stop takes it away", async () => {
    const { session, token } = await chatter();
    const second = await b().client(token).sessions.create.mutate({});
    const proc = await startServerProcess({
      DATABASE_URL: cluster.databaseUrl,
      BEDROCK_ENDPOINT: cluster.fake.url,
      REDIS_URL: redis.url,
      MODEL_PRICES: PRICES,
    });
    const heartbeats = async (owner: string) => {
      const rows = await cluster.db.em
        .fork()
        .getConnection()
        .execute<{ at: string }[]>("select heartbeat_at::text as at from chat_turn_owners where owner = ?", [
          owner,
        ]);
      return rows.map((r) => r.at);
    };
    try {
      const client = proc.client(token);
      const turns = await Promise.all(
        [session.id, second.id].map((sessionId) =>
          client.sessions.send.mutate({ sessionId, content: "steady [[fake tokens=200 rate=40]]" }),
        ),
      );
      const owners = new Set(
        await Promise.all(turns.map(async (t) => (await turnRow(t.turnId))?.owner ?? "")),
      );
      expect(owners.size).toBe(1);
      const [owner = ""] = owners;
      const [first] = await heartbeats(owner);
      expect(first).toBeDefined();
      await expect.poll(() => heartbeats(owner), { timeout: 10_000 }).not.toEqual([first]); // it beats on
      expect(await heartbeats(owner)).toHaveLength(1);

      await proc.stop(); // SIGTERM: its turns end, then it takes its row away
      expect(await heartbeats(owner)).toEqual([]);
      for (const { turnId } of turns) expect((await turnRow(turnId))?.status).not.toBe("running");
    } finally {
      await proc.stop();
    }
  }, 60_000);

  it("another user's turn is NOT_FOUND on stream and stop, on either process", async () => {
    const { onA, session } = await chatter();
    const { turnId } = await onA.sessions.send.mutate({
      sessionId: session.id,
      content: "mine [[fake tokens=3]]",
    });
    const stranger = await signUp(b());
    expect((await failureOf(stranger.client.sessions.stop.mutate({ turnId }))).code).toBe("NOT_FOUND");
    const failure = await streamTurn(stranger.client, turnId).finished.then(
      () => null,
      (error: unknown) => error,
    );
    expect((await failureOf(Promise.reject(failure))).code).toBe("NOT_FOUND");
  });

  it("a 100,000-character message through the typed client is stored whole and answered", async () => {
    const { onA, onB, session } = await chatter(1_000_000);
    const directive = " [[fake tokens=6]]";
    const content = "x".repeat(100_000 - directive.length) + directive;
    const { turnId, userMessageId } = await onA.sessions.send.mutate({ sessionId: session.id, content });
    const events = await streamTurn(onB, turnId).finished;
    expect(eventsOfType(events, "done")[0]?.status).toBe("complete");
    const stored = (await onA.sessions.get.query({ sessionId: session.id })).messages;
    expect(stored[0]).toMatchObject({ id: userMessageId, role: "user" });
    expect(stored[0]?.content).toHaveLength(100_000);
    // One character more is refused, with the limit.
    const over = await failureOf(onA.sessions.send.mutate({ sessionId: session.id, content: `${content}y` }));
    expect(over.code).toBe("BAD_REQUEST");
  });

  it("readiness reports Redis", async () => {
    const response = await fetch(`${a().url}/readyz`);
    expect(response.status).toBe(200);
  });
});

describe("Redis problems", () => {
  it("Redis down at start with REDIS_URL set: start-up fails naming it", async () => {
    const failure = await startServerProcess({
      DATABASE_URL: cluster.databaseUrl,
      BEDROCK_ENDPOINT: cluster.fake.url,
      REDIS_URL: "redis://127.0.0.1:1",
    }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/REDIS_URL/);
  });

  it("Redis lost while running: the answer goes on on its own process, other processes get a clear error, and all recovers when Redis returns", async () => {
    const own = await startRedis();
    const pair = await Promise.all(
      [0, 1].map(() =>
        startServerProcess({
          DATABASE_URL: cluster.databaseUrl,
          BEDROCK_ENDPOINT: cluster.fake.url,
          REDIS_URL: own.url,
          MODEL_PRICES: PRICES,
        }),
      ),
    );
    try {
      const { session, user, token, client } = await chatter();
      const [onOwner, onOther] = pair.map((p) => p.client(token)) as [typeof client, typeof client];
      const { turnId } = await onOwner.sessions.send.mutate({
        sessionId: session.id,
        content: "through the storm [[fake tokens=120 rate=40]]",
      });
      const local = streamTurn(onOwner, turnId);
      await local.until((events) => eventsOfType(events, "token").length >= 10);
      await own.stop();
      // Reported, but still ready: each process serves its own answers without Redis.
      const degraded = await fetch(`${pair[1]?.url}/readyz`);
      expect(degraded.status).toBe(200);
      expect(await degraded.json()).toMatchObject({
        status: "degraded",
        problems: [expect.stringMatching(/^redis/)],
      });
      // Following from the other process now fails clearly.
      const remote = await streamTurn(onOther, turnId).finished;
      expect(eventsOfType(remote, "error")[0]?.code).toBe("STREAM_UNAVAILABLE");
      // The process running it keeps streaming to its own client to the end.
      const events = await local.finished;
      expect(textOf(events)).toBe(fakeText(120));
      expect(eventsOfType(events, "done")[0]?.status).toBe("complete");
      // Redis returns (empty): the other process can follow again, and the answer is whole.
      const back = await startRedis(own.port);
      try {
        await expect
          .poll(
            async () => ((await (await fetch(`${pair[1]?.url}/readyz`)).json()) as { status: string }).status,
            {
              timeout: 20_000,
            },
          )
          .toBe("ready");
        await expect
          .poll(
            async () => {
              const replay = await streamTurn(onOther, turnId).finished.catch(() => []);
              return eventsOfType(replay, "done")[0]?.content ?? null;
            },
            { timeout: 20_000, interval: 500 },
          )
          .toBe(fakeText(120));
      } finally {
        await back.stop();
      }
      expect(await usageCount(turnId)).toBe(1);
      expect(await onOwner.accounting.balance.query()).toMatchObject({ held: 0 });
      await expectLedgerConsistent(cluster.db, user.id);
    } finally {
      await Promise.all(pair.map((p) => p.kill()));
    }
  }, 60_000);
});
