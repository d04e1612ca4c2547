// The session cache across real server processes: two processes on one PostgreSQL database and one
// Redis (TEST_REDIS_URL, the local one). Credentials are cached on process B, changed through
// process A, and must be refused (or show the change) on B on the very next request. The cache TTL
// is a minute here, so anything that reaches B in time can only have come from the invalidation.
import type { ParleyClient } from "@parley/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/errors.ts";
import { type Cluster, startCluster } from "../support/processes.ts";
import { signUp, signUpAs } from "../support/users.ts";

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ processes: 2, redisUrl, env: { AUTH_CACHE_TTL_MS: "60000" } });
});
afterAll(() => cluster?.close());

const a = () => cluster.view(0);
const b = () => cluster.view(1);
const refusedOn = async (client: ParleyClient) => (await failureOf(client.auth.me.query())).code;

/** A user whose session is validated (and so cached) on B. */
async function cachedOnB() {
  const account = await signUp(a());
  const onB = b().client(account.token);
  await expect(onB.auth.me.query()).resolves.toMatchObject({ id: account.user.id });
  return { ...account, onB };
}

describe("the cache is in use", () => {
  it("a change made behind Parley's back (straight in the database) is not seen while cached", async () => {
    const account = await cachedOnB();
    await cluster.db.em
      .fork()
      .getConnection()
      .execute("update users set display_name = 'Changed Behind' where id = ?", [account.user.id]);
    expect((await account.onB.auth.me.query()).displayName).toBe(account.user.displayName);
  });
});

describe("invalidation reaches the other process at once", () => {
  it("logout on A: the token is refused on B", async () => {
    const account = await cachedOnB();
    await account.client.auth.logout.mutate();
    expect(await refusedOn(account.onB)).toBe("UNAUTHORIZED");
  });

  it("logout everywhere on A: every session is refused on B", async () => {
    const account = await cachedOnB();
    const { token: second } = await a().client().auth.login.mutate({
      login: account.input.email,
      password: account.input.password,
    });
    const secondOnB = b().client(second);
    await secondOnB.auth.me.query();
    await account.client.auth.logoutEverywhere.mutate();
    expect(await refusedOn(account.onB)).toBe("UNAUTHORIZED");
    expect(await refusedOn(secondOnB)).toBe("UNAUTHORIZED");
  });

  it("password change on A: the other sessions are refused on B, the changing one still works", async () => {
    const account = await cachedOnB();
    const { token: other } = await a().client().auth.login.mutate({
      login: account.input.email,
      password: account.input.password,
    });
    const otherOnB = b().client(other);
    await otherOnB.auth.me.query();
    await a().client(other).auth.changePassword.mutate({
      currentPassword: account.input.password,
      newPassword: "another-long-passphrase",
    });
    expect(await refusedOn(account.onB)).toBe("UNAUTHORIZED");
    await expect(otherOnB.auth.me.query()).resolves.toMatchObject({ id: account.user.id });
  });

  it("deactivation on A: the session and API key are refused on B", async () => {
    const admin = await signUpAs(a(), "admin");
    const account = await cachedOnB();
    const { secret } = await account.client.auth.apiKeys.create.mutate({ name: "k", scopes: ["accounting"] });
    const keyOnB = b().client(secret);
    await keyOnB.auth.me.query();
    await admin.client.admin.users.update.mutate({ userId: account.user.id, active: false });
    expect(await refusedOn(account.onB)).toBe("UNAUTHORIZED");
    expect(await refusedOn(keyOnB)).toBe("UNAUTHORIZED");
  });

  it("role change on A: B answers with the new role and its permissions", async () => {
    const admin = await signUpAs(a(), "admin");
    const account = await cachedOnB();
    expect((await failureOf(account.onB.admin.users.list.query({}))).code).toBe("FORBIDDEN");
    await admin.client.admin.users.update.mutate({ userId: account.user.id, role: "admin" });
    expect((await account.onB.auth.me.query()).role).toBe("admin");
    await expect(account.onB.admin.users.list.query({})).resolves.toBeTruthy();
    await admin.client.admin.users.update.mutate({ userId: account.user.id, role: "user" });
    expect((await failureOf(account.onB.admin.users.list.query({}))).code).toBe("FORBIDDEN");
  });

  it("profile change on A: auth.me on B shows it", async () => {
    const account = await cachedOnB();
    await account.client.auth.updateProfile.mutate({ displayName: "Renamed On A" });
    expect((await account.onB.auth.me.query()).displayName).toBe("Renamed On A");
  });

  it("API key revoked on A: refused on B", async () => {
    const account = await cachedOnB();
    const { key, secret } = await account.client.auth.apiKeys.create.mutate({
      name: "k",
      scopes: ["accounting"],
    });
    const keyOnB = b().client(secret);
    await keyOnB.accounting.balance.query();
    await account.client.auth.apiKeys.revoke.mutate({ id: key.id });
    expect(await refusedOn(keyOnB)).toBe("UNAUTHORIZED");
  });
});

describe("sliding expiry still slides", () => {
  it("a session in the second half of its life is extended and its cookie re-sent once, then served from the cache", async () => {
    const account = await signUp(a());
    await cluster.db.em
      .fork()
      .getConnection()
      .execute("update auth_sessions set expires_at = now() + interval '1 day' where user_id = ?", [
        account.user.id,
      ]);
    const me = () =>
      fetch(`${b().url}/trpc/auth.me`, { headers: { cookie: `parley_session=${account.token}` } });
    const first = await me();
    expect(first.status).toBe(200);
    expect(first.headers.get("set-cookie")).toMatch(/parley_session=/);
    const [row] = await cluster.db.em
      .fork()
      .getConnection()
      .execute<{ days: number }[]>(
        "select extract(epoch from expires_at - now()) / 86400 as days from auth_sessions where user_id = ?",
        [account.user.id],
      );
    expect(Number(row?.days)).toBeGreaterThan(29);
    const second = await me();
    expect(second.status).toBe(200);
    expect(second.headers.get("set-cookie")).toBeNull();
  });
});
