import { describe, expect, it } from "vitest";
import { AuthCache } from "./auth-cache.ts";

const found =
  (userId: string, value: string, expiresAt: Date | null = null) =>
  async () => ({
    userId,
    value,
    expiresAt,
  });

describe("AuthCache", () => {
  it("answers from the cache until the user is invalidated, and only that user's entries go", async () => {
    const cache = new AuthCache<string>({ ttlMs: 60_000, max: 100 });
    let loads = 0;
    const load = (userId: string, value: string) => async () => {
      loads++;
      return found(userId, value)();
    };
    expect(await cache.get("a1", load("alice", "A1"))).toBe("A1");
    expect(await cache.get("a1", load("alice", "changed"))).toBe("A1");
    expect(await cache.get("b1", load("bob", "B1"))).toBe("B1");
    expect(loads).toBe(2);

    await cache.invalidateUser("alice");
    expect(await cache.get("a1", load("alice", "A2"))).toBe("A2");
    expect(await cache.get("b1", load("bob", "changed"))).toBe("B1");
    expect(loads).toBe(3);
  });

  it("does not store what a load read while an invalidation arrived", async () => {
    const cache = new AuthCache<string>({ ttlMs: 60_000, max: 100 });
    let release = () => {};
    const slow = cache.get("a1", async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return { userId: "alice", value: "stale", expiresAt: null };
    });
    cache.dropUser("alice");
    release();
    expect(await slow).toBe("stale");
    expect(await cache.get("a1", found("alice", "fresh"))).toBe("fresh");
  });

  it("never keeps an entry past the credential's own expiry, nor a failed lookup", async () => {
    const cache = new AuthCache<string>({ ttlMs: 60_000, max: 100 });
    expect(await cache.get("gone", found("alice", "old", new Date(Date.now() - 1)))).toBe("old");
    expect(await cache.get("gone", found("alice", "new"))).toBe("new");
    expect(await cache.get("none", async () => null)).toBeNull();
    expect(await cache.get("none", found("alice", "now"))).toBe("now");
  });

  it("answers `returned` once and stores `value`; with ttlMs 0 it never stores", async () => {
    const cache = new AuthCache<string>({ ttlMs: 60_000, max: 100 });
    const first = async () => ({ userId: "alice", value: "stored", returned: "first", expiresAt: null });
    expect(await cache.get("a1", first)).toBe("first");
    expect(await cache.get("a1", first)).toBe("stored");

    const off = new AuthCache<string>({ ttlMs: 0, max: 100 });
    expect(await off.get("a1", first)).toBe("first");
    expect(await off.get("a1", found("alice", "again"))).toBe("again");
  });
});
