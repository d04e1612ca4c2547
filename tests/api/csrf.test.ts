import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp } from "../support/users.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { ALLOWED_ORIGINS: "https://app.partner.example" } });
});
afterAll(() => server?.close());

async function cookieFor(login: string, password: string): Promise<string> {
  const response = await server.post("auth.login", JSON.stringify({ json: { login, password } }));
  return (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

const updateName = (headers: Record<string, string>) =>
  server.post("auth.updateProfile", JSON.stringify({ json: { displayName: "Changed" } }), headers);

describe("CSRF: cookie-authenticated writes from a foreign Origin are refused", () => {
  it("refuses a foreign origin, accepts our own and configured origins", async () => {
    const { input } = await signUp(server);
    const cookie = await cookieFor(input.email, input.password);

    const foreign = await updateName({ cookie, origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toMatch(/Cross-origin request refused/);

    expect((await updateName({ cookie, origin: server.url })).status).toBe(200);
    expect((await updateName({ cookie, origin: "https://app.partner.example" })).status).toBe(200);
    // No Origin header at all (not a browser page): allowed.
    expect((await updateName({ cookie })).status).toBe(200);
  });

  it("refuses a foreign-origin login too (login CSRF)", async () => {
    const { input } = await signUp(server);
    const response = await server.post(
      "auth.login",
      JSON.stringify({ json: { login: input.email, password: input.password } }),
      { origin: "https://evil.example" },
    );
    expect(response.status).toBe(403);
  });

  it("bearer-token programs are not affected by Origin", async () => {
    const { token } = await signUp(server);
    const response = await updateName({ authorization: `Bearer ${token}`, origin: "https://evil.example" });
    expect(response.status).toBe(200);
  });

  it("queries (reads) are not refused by origin", async () => {
    const { input } = await signUp(server);
    const cookie = await cookieFor(input.email, input.password);
    const response = await fetch(`${server.url}/trpc/auth.me`, {
      headers: { cookie, origin: "https://evil.example" },
    });
    expect(response.status).toBe(200);
  });
});
