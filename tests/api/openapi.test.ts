import { readFile } from "node:fs/promises";
import { compileErrors, validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REST_ROUTES } from "../../apps/server/src/rest/routes.ts";
import { rest } from "../support/rest.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe("/api/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const reply = await rest<OpenApiDocument>(server, "GET", "/api/openapi.json");
    expect(reply.status).toBe(200);
    expect(reply.body.openapi).toMatch(/^3\.1\./);
    // validate() dereferences in place: give it a copy.
    const result = await validate(structuredClone(reply.body));
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
  });

  it("describes every tRPC query and mutation under /trpc and every REST path", async () => {
    const { body: document } = await rest<OpenApiDocument>(server, "GET", "/api/openapi.json");
    for (const path of [
      "/trpc/auth.me",
      "/trpc/accounting.balance",
      "/trpc/admin.credits.allocate",
      "/trpc/sessions.list",
    ]) {
      expect(document.paths, path).toHaveProperty([path]);
    }
    for (const route of REST_ROUTES) {
      const path = route.path.replace(/:(\w+)/g, "{$1}");
      expect(document.paths[path]?.[route.method], `${route.method} ${path}`).toBeDefined();
    }
    expect(document.paths["/api/health"]?.get).toBeDefined();
    expect(document.paths["/api/attachments"]?.post).toBeDefined();
    expect(document.paths["/api/attachments/{id}"]?.get).toBeDefined();
    // A REST operation carries the procedure's output, unwrapped from tRPC's envelope.
    const check = document.paths["/api/credits/check"]?.post as unknown as {
      requestBody: { content: { "application/json": { schema: { properties: Record<string, unknown> } } } };
      responses: {
        "200": { content: { "application/json": { schema: { properties: Record<string, unknown> } } } };
      };
    };
    expect(Object.keys(check.requestBody.content["application/json"].schema.properties)).toEqual([
      "requiredCredits",
    ]);
    expect(Object.keys(check.responses["200"].content["application/json"].schema.properties).sort()).toEqual([
      "available",
      "sufficient",
    ]);
  });
});

describe("/api/docs", () => {
  it("renders Scalar from our own server: no external script, stylesheet or font", async () => {
    const page = await rest<string>(server, "GET", "/api/docs");
    expect(page.status).toBe(200);
    expect(page.contentType).toContain("text/html");
    expect(page.body).toContain("/api/docs/scalar.js");
    expect(page.body).toContain("/api/openapi.json");
    expect(page.body).not.toMatch(/(src|href)=["']https?:/);

    const bundle = await fetch(`${server.url}/api/docs/scalar.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toContain("javascript");
    expect(bundle.headers.get("content-encoding")).toMatch(/gzip|deflate|br/);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });
});

describe("the committed tRPC description", () => {
  it("is what @trpc/openapi generates from the router today (run pnpm openapi:generate when not)", async () => {
    const { generateTrpcDocument, TRPC_DOCUMENT_PATH } = await import(
      "../../apps/server/scripts/generate-openapi.ts"
    );
    const committed = JSON.parse(await readFile(TRPC_DOCUMENT_PATH, "utf8"));
    expect(JSON.parse(await generateTrpcDocument())).toEqual(committed);
  }, 120_000);
});
