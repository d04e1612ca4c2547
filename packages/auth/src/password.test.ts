import { describe, expect, it } from "vitest";
import { hashPassword, passwordWeakness, verifyPassword } from "./password.ts";

describe("passwordWeakness", () => {
  it.each([
    ["short", /at least 10/],
    ["qwertyuiop", /too common/],
    ["QwertyUiop", /too common/],
    ["abababababab", /too few/],
  ])("refuses %s", (password, why) => {
    expect(passwordWeakness(password)).toMatch(why);
  });

  it("refuses a password containing the username or the email's local part", () => {
    expect(passwordWeakness("my-alice-password", { username: "alice" })).toMatch(/username or email/);
    expect(passwordWeakness("xx-jsmith-xx-99", { email: "jsmith@example.com" })).toMatch(/username or email/);
  });

  it("accepts a reasonable passphrase", () => {
    expect(passwordWeakness("orange-kettle-sings", { username: "bob", email: "bob@example.com" })).toBeNull();
  });
});

describe("hashPassword", () => {
  it("produces salted argon2id hashes that verify", async () => {
    const [a, b] = await Promise.all([
      hashPassword("orange-kettle-sings"),
      hashPassword("orange-kettle-sings"),
    ]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(a, "orange-kettle-sings")).toBe(true);
    expect(await verifyPassword(a, "orange-kettle-sang")).toBe(false);
  });
});
