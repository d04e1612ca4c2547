import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rest } from "../support/rest.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

/** The panel page, fetched as a browser would (session cookie), without following redirects. */
async function panel(server: TestServer, token?: string) {
  const response = await fetch(`${server.url}/panel`, {
    redirect: "manual",
    headers: token ? { cookie: `parley_session=${token}` } : {},
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe("the tRPC panel, PANEL=admin (the production default)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { NODE_ENV: "production" } });
  });
  afterAll(() => server?.close());

  it("sends anonymous visitors to the login page, without rendering the panel", async () => {
    const reply = await panel(server);
    expect(reply.status).toBe(302);
    expect(reply.headers.get("location")).toBe("/login");
    expect(reply.text).not.toContain("accounting");
  });

  it("refuses signed-in users who are not admins", async () => {
    for (const account of [await signUp(server), await signUpAs(server, "supervisor")]) {
      const reply = await panel(server, account.token);
      expect(reply.status).toBe(403);
      expect(reply.text).not.toContain("balanceOf");
    }
  });

  it("shows admins every procedure, subscriptions included, calling /trpc with superjson", async () => {
    const admin = await signUpAs(server, "admin");
    const reply = await panel(server, admin.token);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toContain("text/html");
    for (const name of ["balanceOf", "allocate", "systemStats", "register"])
      expect(reply.text).toContain(name);
    expect(reply.text).toContain('"procedureType":"subscription"');
    expect(reply.text).toContain('"procedureType":"mutation"');
    expect(reply.text).toContain("superjson");
    // Everything the page needs is inline: no script from elsewhere.
    expect(reply.text).not.toMatch(/<script[^>]+src=["']https?:/);
  });
});

describe("the tRPC panel, PANEL=off", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { NODE_ENV: "production", PANEL: "off" } });
  });
  afterAll(() => server?.close());

  it("is not served, not even to admins (JSON 404, not the SPA)", async () => {
    const admin = await signUpAs(server, "admin");
    const reply = await rest(server, "GET", "/panel", {
      headers: { cookie: `parley_session=${admin.token}` },
    });
    expect(reply.status).toBe(404);
    expect(reply.contentType).toContain("application/json");
  });
});

describe("the tRPC panel in development", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { NODE_ENV: "development", PANEL: "off" } });
  });
  afterAll(() => server?.close());

  it("is open to anyone, whatever PANEL says", async () => {
    const reply = await panel(server);
    expect(reply.status).toBe(200);
    expect(reply.text).toContain("balanceOf");
  });
});
