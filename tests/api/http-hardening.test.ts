import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp } from "../support/users.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers });

function directives(csp: string | null): Map<string, string> {
  return new Map(
    (csp ?? "")
      .split(";")
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name = "", ...values] = part.split(/\s+/);
        return [name, values.join(" ")];
      }),
  );
}

describe("security headers", () => {
  it("the SPA is served under a strict Content-Security-Policy", async () => {
    const response = await get("/");
    expect(response.status).toBe(200);
    const csp = directives(response.headers.get("content-security-policy"));
    expect(csp.get("script-src")).toBe("'self'");
    expect(csp.get("style-src")).toBe("'self'");
    expect(csp.get("img-src")).toBe("'self' data: blob:");
    expect(csp.get("connect-src")).toBe("'self'");
    expect(csp.get("frame-ancestors")).toBe("'none'");
    expect(csp.get("base-uri")).toBe("'none'");
    expect(csp.get("object-src")).toBe("'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });

  it("the developer pages get a policy their bundles can run under, still unframeable", async () => {
    const csp = directives((await get("/api/docs")).headers.get("content-security-policy"));
    expect(csp.get("script-src")).toBe("'self' 'unsafe-inline' 'unsafe-eval'");
    expect(csp.get("img-src")).toBe("'self' data: blob:");
    expect(csp.get("connect-src")).toBe("'self'");
    expect(csp.get("frame-ancestors")).toBe("'none'");
    // Only those two pages: anything under them is the SPA's policy again.
    const other = directives((await get("/api/docs/other")).headers.get("content-security-policy"));
    expect(other.get("script-src")).toBe("'self'");
  });

  it("every API response says no-store, success or failure", async () => {
    const { token } = await signUp(server);
    const responses = [
      await get("/trpc/auth.me"),
      await get("/trpc/auth.me", { authorization: `Bearer ${token}` }),
      await get("/trpc/auth.nope"),
      await server.post("auth.login", "{bad"),
      await get("/api/anything"),
      await get("/v1/models"),
      await get("/v1/models", { authorization: `Bearer ${token}` }),
    ];
    expect(responses.map((r) => r.status)).toEqual([401, 200, 404, 400, 404, 401, 200]);
    for (const response of responses) {
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    }
    // The API reference's static script bundle is the one public, cacheable file under /api.
    const bundle = await get("/api/docs/scalar.js");
    expect(bundle.headers.get("cache-control")).toMatch(/^public/);
    await bundle.arrayBuffer();
  });

  it("a subscription's event stream is no-store too, and carries the request id", async () => {
    const controller = new AbortController();
    const input = encodeURIComponent(JSON.stringify({ json: { turnId: crypto.randomUUID() } }));
    const response = await fetch(`${server.url}/trpc/sessions.stream?input=${input}`, {
      headers: { accept: "text/event-stream", "x-request-id": "stream-id-1" },
      signal: controller.signal,
    });
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-request-id")).toBe("stream-id-1");
    controller.abort();
  });

  it("keeps a plain-token request id and echoes it", async () => {
    const response = await get("/healthz", { "x-request-id": "client-id_42" });
    expect(response.headers.get("x-request-id")).toBe("client-id_42");
  });

  it.each([
    ["spaces", "abc def"],
    ["markup", "<script>alert(1)</script>"],
    ["non-ASCII", "caf\u00e9"],
    ["too long", "a".repeat(65)],
    ["punctuation", "a/b?c"],
  ])("replaces a request id with %s by a generated one, never echoing it", async (_name, value) => {
    for (const path of ["/healthz", "/trpc/auth.me", "/"]) {
      const response = await get(path, { "x-request-id": value });
      expect(response.status).toBeLessThan(500);
      const id = response.headers.get("x-request-id");
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await response.text()).not.toContain(value);
    }
  });
});

describe("tRPC batches", () => {
  const batchOf = (paths: string[]) => `/trpc/${paths.join(",")}?batch=1`;

  it("allows up to 20 calls in a batch and refuses 21 with BAD_REQUEST", async () => {
    const { token } = await signUp(server);
    const auth = { authorization: `Bearer ${token}` };
    const twenty = await get(batchOf(Array(20).fill("auth.me")), auth);
    expect(twenty.status).toBe(200);
    expect(await twenty.json()).toHaveLength(20);

    const twentyOne = await get(batchOf(Array(21).fill("auth.me")), auth);
    expect(twentyOne.status).toBe(400);
    expect(JSON.stringify(await twentyOne.json())).toContain("BAD_REQUEST");
  });

  it("refuses a batch carrying an auth mutation, however its path is spelled", async () => {
    const body = JSON.stringify(
      Object.fromEntries(
        Array.from({ length: 5 }, (_, i) => [
          i,
          { json: { login: "x@example.com", password: `guess-${i}` } },
        ]),
      ),
    );
    for (const path of [
      batchOf(Array(5).fill("auth.login")),
      `/trpc/${Array(5).fill("auth.login").join("%2C")}?batch=1`,
      batchOf(["accounting.usage.record", "auth.login", "auth.login", "auth.login", "auth.login"]),
    ]) {
      const response = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(response.status).toBe(400);
      const json = (await response.json()) as { error: { data: { code: string } } };
      expect(json.error.data.code).toBe("BAD_REQUEST");
      expect(response.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("a batch of one auth mutation is answered normally (a wrong password is still 401)", async () => {
    const response = await fetch(`${server.url}${batchOf(["auth.login"])}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ 0: { json: { login: "nobody@example.com", password: "wrong-password" } } }),
    });
    expect(response.status).toBe(401);
  });

  it("the typed client still signs in and splits big batches by itself", async () => {
    const { input } = await signUp(server);
    const client = server.client();
    const [login] = await Promise.all([
      client.auth.login.mutate({ login: input.email, password: input.password }),
      client.auth.login.mutate({ login: input.email, password: input.password }),
    ]);
    const signedIn = server.client(login.token);
    const answers = await Promise.all(Array.from({ length: 45 }, () => signedIn.auth.me.query()));
    expect(answers).toHaveLength(45);
    expect(answers.every((me) => me.id === login.user.id)).toBe(true);
  });
});
