import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp } from "../support/users.ts";

const PARTNER = "https://app.partner.example";
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { ALLOWED_ORIGINS: PARTNER } });
});
afterAll(() => server?.close());

const preflight = (path: string, origin: string, headers = "authorization, content-type") =>
  fetch(`${server.url}${path}`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": headers,
    },
  });

describe("CORS for ALLOWED_ORIGINS on /trpc and /api", () => {
  it("answers a preflight from an allowed origin, with bearer headers and without credentials", async () => {
    for (const path of ["/trpc/auth.updateProfile", "/api/credits/check"]) {
      const response = await preflight(path, PARTNER);
      expect(response.status).toBe(204);
      expect(response.headers.get("access-control-allow-origin")).toBe(PARTNER);
      const allowed = response.headers.get("access-control-allow-headers") ?? "";
      expect(allowed).toMatch(/authorization/);
      expect(allowed).toMatch(/content-type/);
      expect(response.headers.get("access-control-allow-methods")).toMatch(/POST/);
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  it("gives a foreign origin no CORS headers", async () => {
    const response = await preflight("/trpc/auth.me", "https://evil.example");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    const read = await fetch(`${server.url}/trpc/auth.me`, { headers: { origin: "https://evil.example" } });
    expect(read.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("lets the allowed origin read a bearer-authenticated answer, and write with a bearer token", async () => {
    const { token, user } = await signUp(server);
    const me = await fetch(`${server.url}/trpc/auth.me`, {
      headers: { origin: PARTNER, authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
    expect(me.headers.get("access-control-allow-origin")).toBe(PARTNER);
    expect(me.headers.get("access-control-allow-credentials")).toBeNull();
    expect(JSON.stringify(await me.json())).toContain(user.id);

    const write = await server.post(
      "auth.updateProfile",
      JSON.stringify({ json: { displayName: "Partner" } }),
      {
        origin: PARTNER,
        authorization: `Bearer ${token}`,
      },
    );
    expect(write.status).toBe(200);
  });

  it("still refuses cookie-authenticated writes from a foreign origin (CSRF guard)", async () => {
    const { input } = await signUp(server);
    const login = await server.post(
      "auth.login",
      JSON.stringify({ json: { login: input.email, password: input.password } }),
    );
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const write = await server.post("auth.updateProfile", JSON.stringify({ json: { displayName: "Evil" } }), {
      origin: "https://evil.example",
      cookie,
    });
    expect(write.status).toBe(403);
  });

  it("does not add CORS headers to the SPA or health checks", async () => {
    const health = await fetch(`${server.url}/healthz`, { headers: { origin: PARTNER } });
    expect(health.headers.get("access-control-allow-origin")).toBeNull();
  });
});
