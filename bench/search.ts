// pnpm bench:search — sessions.search (full-text search over titles and message text) against the
// sidebar's chat list (sessions.list, page 1) in the same run, on a scratch database: two users
// with BENCH_CHATS chats (1,000) of BENCH_MESSAGES messages (10) each, every message 40 words
// drawn from a 5,000-word vocabulary. Measured in-process through the domain functions (one SQL
// round trip pair each), BENCH_ROUNDS (30) times per query; prints the median and p95 in ms and
// the ratio to sessions.list. Then drops the GIN indexes and measures again: the reference path
// without them (a sequential scan of every message).
//
// Needs DATABASE_URL (a PostgreSQL server; a scratch database is created and dropped).
import { performance } from "node:perf_hooks";
import { listSessions, searchSessions } from "@parley/agent";
import { type Database, openDatabase } from "@parley/db";
import { createTestDatabase } from "@parley/db/testing";
import { useDatabaseServer } from "./database-server.ts";

const chats = Number(process.env.BENCH_CHATS ?? 1000);
const messagesPerChat = Number(process.env.BENCH_MESSAGES ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 30);

useDatabaseServer();
const database = await createTestDatabase("parley_bench");
const db = await openDatabase({ url: database.url, poolSize: 2 });
try {
  const [userId] = await Promise.all([seedUser(db, "a"), seedUser(db, "b")]);
  if (!userId) throw new Error("no user seeded");
  await db.em.getConnection().execute("analyze");
  console.log(
    `search benchmark: 2 users × ${chats} chats × ${messagesPerChat} messages (${2 * chats * messagesPerChat} messages), ${rounds} rounds, page size 20\n`,
  );
  const queries: [string, () => Promise<unknown>][] = [
    ["sessions.list (reference)", () => listSessions(db.em.fork(), { userId, page: 1, size: 20 })],
    ["search: rare word", () => searchSessions(db.em.fork(), { userId, query: "w4999", page: 1, size: 20 })],
    ["search: common word", () => searchSessions(db.em.fork(), { userId, query: "w7", page: 1, size: 20 })],
    [
      "search: two words",
      () => searchSessions(db.em.fork(), { userId, query: "w12 w345", page: 1, size: 20 }),
    ],
  ];
  await measure("with GIN indexes", queries);
  await db.em
    .getConnection()
    .execute(
      'drop index "chat_messages_search_vector_index"; drop index "chat_sessions_title_search_index"; analyze',
    );
  await measure("without them (reference)", queries);
} finally {
  await db.close();
  await database.drop();
}

async function measure(label: string, queries: [string, () => Promise<unknown>][]) {
  console.log(label);
  console.log("  query                        median ms   p95 ms   × list");
  let reference = 0;
  for (const [name, run] of queries) {
    for (let i = 0; i < 3; i++) await run(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      await run();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    const p95 = times[Math.floor(times.length * 0.95)] ?? 0;
    if (reference === 0) reference = median;
    console.log(
      `  ${name.padEnd(28)} ${median.toFixed(2).padStart(9)} ${p95.toFixed(2).padStart(8)} ${(median / reference).toFixed(1).padStart(8)}`,
    );
  }
  console.log("");
}

/** A user with `chats` chats of `messagesPerChat` messages of 40 pseudo-random words (w0…w4999). */
async function seedUser(target: Database, tag: string): Promise<string> {
  const connection = target.em.fork().getConnection();
  const [user] = await connection.execute<{ id: string }[]>(
    `insert into users (id, email, username, display_name, password_hash)
     values (gen_random_uuid(), ?, ?, 'Bench', 'x') returning id`,
    [`search-${tag}@example.com`, `search${tag}`],
  );
  if (!user) throw new Error("user insert returned nothing");
  await connection.execute(
    `insert into chat_sessions (id, user_id, title, model_id, last_activity_at)
     select gen_random_uuid(), ?, 'Chat ' || g || ' about w' || (g % 5000), 'bench-model', now() - g * interval '1 minute'
       from generate_series(1, ?) g`,
    [user.id, chats],
  );
  await connection.execute(
    `insert into chat_messages (id, session_id, role, content, created_at)
     select gen_random_uuid(), s.id, case when m % 2 = 0 then 'user' else 'assistant' end,
            (select string_agg('w' || floor(power(random(), 3) * 5000)::int, ' ')
               from generate_series(1, 40) w where w > 0 * m),
            now() - m * interval '1 second'
       from chat_sessions s cross join generate_series(1, ?) m
      where s.user_id = ?`,
    [messagesPerChat, user.id],
  );
  return user.id;
}
