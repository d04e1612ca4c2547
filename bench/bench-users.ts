import { createHash, randomBytes } from "node:crypto";
import { openDatabase } from "@parley/db";

/** A bench user: the bearer token of a session of theirs. */
export interface BenchUser {
  token: string;
}

/**
 * `count` users, each with a session token and `credits`, written straight to the database (the
 * benchmarks measure reads and chats, not sign-ups). Emails are `<prefix><i>@example.com`.
 */
export async function createBenchUsers(
  url: string,
  count: number,
  { prefix, credits }: { prefix: string; credits: number },
): Promise<BenchUser[]> {
  const db = await openDatabase({ url, poolSize: 1 });
  const connection = db.em.getConnection();
  const users: BenchUser[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const token = randomBytes(20).toString("hex");
      const [user] = await connection.execute<{ id: string }[]>(
        `insert into users (id, email, username, display_name, password_hash)
         values (gen_random_uuid(), ?, ?, 'Bench', 'x') returning id`,
        [`${prefix}${i}@example.com`, `${prefix}${i}`],
      );
      await connection.execute(
        // As fresh as a sign-in's (SESSION_TTL_DAYS, 30): an older one is extended, a write, on its first use.
        "insert into auth_sessions (id, user_id, expires_at) values (?, ?, now() + interval '30 days')",
        [createHash("sha256").update(token).digest("hex"), user?.id],
      );
      await connection.execute("select parley_admin_move(?, null, 'allocate', ?, null, 'bench')", [
        user?.id,
        credits,
      ]);
      users.push({ token });
    }
  } finally {
    await db.close();
  }
  return users;
}
