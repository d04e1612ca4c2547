// PostgreSQL stores neither NUL bytes nor lone UTF-16 surrogates: such input is a bad request,
// refused by the shared schemas before it reaches the database, never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.ts";
import { signUp, signUpAs } from "../support/users.ts";

let server: TestServer;
let userToken: string;
let adminToken: string;
let userId: string;
beforeAll(async () => {
  server = await startTestServer();
  const user = await signUp(server);
  userToken = user.token;
  userId = user.user.id;
  adminToken = (await signUpAs(server, "admin")).token;
});
afterAll(() => server?.close());

const NUL = "a\u0000b";
const LONE_SURROGATE = "a\ud800b";

type Who = "anonymous" | "user" | "admin";
const call = (path: string, input: unknown, who: Who, method: "query" | "mutation") => {
  const token = who === "user" ? userToken : who === "admin" ? adminToken : null;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const body = JSON.stringify({ json: input });
  return method === "mutation"
    ? server.post(path, body, headers)
    : fetch(`${server.url}/trpc/${path}?input=${encodeURIComponent(body)}`, { headers });
};

/** [procedure, who may call it, query or mutation, an input with `bad` in one string field] */
const cases: [string, Who, "query" | "mutation", (bad: string) => unknown][] = [
  [
    "auth.register",
    "anonymous",
    "mutation",
    (bad) => ({ email: "x@example.com", username: "someone", password: `pass${bad}phrase-long` }),
  ],
  [
    "auth.register",
    "anonymous",
    "mutation",
    (bad) => ({
      email: "y@example.com",
      username: "someone2",
      password: "plenty-long-passphrase",
      displayName: bad,
    }),
  ],
  ["auth.login", "anonymous", "mutation", (bad) => ({ login: bad, password: "whatever-it-is" })],
  ["auth.login", "anonymous", "mutation", (bad) => ({ login: "x@example.com", password: bad })],
  ["auth.updateProfile", "user", "mutation", (bad) => ({ displayName: bad })],
  [
    "auth.changePassword",
    "user",
    "mutation",
    (bad) => ({ currentPassword: bad, newPassword: "another-long-passphrase" }),
  ],
  ["accounting.calculate", "user", "query", (bad) => ({ modelId: bad, inputTokens: 1, outputTokens: 1 })],
  [
    "accounting.streaming.initialize",
    "user",
    "mutation",
    (bad) => ({ modelId: bad, estimatedTokens: { input: 1, output: 1 } }),
  ],
  [
    "accounting.usage.record",
    "user",
    "mutation",
    (bad) => ({ service: "svc", operation: "op", credits: 1, modelId: bad }),
  ],
  [
    "accounting.usage.record",
    "user",
    "mutation",
    (bad) => ({ service: "svc", operation: "op", credits: 1, metadata: { note: bad } }),
  ],
  [
    "accounting.usage.record",
    "user",
    "mutation",
    (bad) => ({ service: "svc", operation: "op", credits: 1, metadata: { [bad]: 1 } }),
  ],
  [
    "accounting.usage.record",
    "user",
    "mutation",
    (bad) => ({ service: "svc", operation: "op", credits: 1, metadata: { deep: [{ x: bad }] } }),
  ],
  ["admin.credits.allocate", "admin", "mutation", (bad) => ({ userId, credits: 5, notes: bad })],
  ["admin.credits.adjust", "admin", "mutation", (bad) => ({ userId, adjustment: 5, notes: bad })],
  ["admin.credits.balanceOf", "admin", "query", (bad) => ({ email: `x${bad}@example.com` })],
  ["admin.pricing.update", "admin", "mutation", (bad) => ({ modelId: bad, inputPer1k: 1 })],
  ["admin.pricing.update", "admin", "mutation", (bad) => ({ modelId: "some-model", displayName: bad })],
  ["admin.users.list", "admin", "query", (bad) => ({ search: bad })],
  [
    "sessions.update",
    "user",
    "mutation",
    (bad) => ({ sessionId: "00000000-0000-4000-8000-000000000000", systemPrompt: bad }),
  ],
  ["presets.create", "user", "mutation", (bad) => ({ name: bad })],
  ["presets.create", "user", "mutation", (bad) => ({ name: "p", systemPrompt: bad })],
];

describe.each([
  ["a NUL byte", NUL],
  ["a lone surrogate", LONE_SURROGATE],
])("%s in a string input is BAD_REQUEST", (_name, bad) => {
  it.each(cases.map(([path, who, method, input], i) => [`${path} #${i}`, path, who, method, input] as const))(
    "%s",
    async (_label, path, who, method, input) => {
      const response = await call(path, input(bad), who, method);
      const text = await response.text();
      expect(response.status, text).toBe(400);
      expect(text).toContain("BAD_REQUEST");
    },
  );
});

describe("dates PostgreSQL cannot read are BAD_REQUEST", () => {
  it.each(["+010000-01-01T00:00:00.000Z", "-000001-01-01T00:00:00.000Z", "1899-12-31T23:59:59.000Z"])(
    "%s",
    async (date) => {
      for (const [path, who, input] of [
        ["accounting.usage.stats", "user", { to: date }],
        ["admin.usage.systemStats", "admin", { from: date }],
        ["admin.usage.statsOf", "admin", { userId, from: date }],
      ] as const) {
        const response = await call(path, input, who, "query");
        const text = await response.text();
        expect(response.status, text).toBe(400);
        expect(text).toContain("BAD_REQUEST");
      }
    },
  );
});

describe("hostile structure is BAD_REQUEST", () => {
  const record = (metadata: string, meta = "") =>
    `{"json":{"service":"svc","operation":"op","credits":1,"metadata":${metadata}}${meta}}`;
  it.each([
    ["metadata nested 100,000 deep", record(`{"x":${"[".repeat(100_000)}${"]".repeat(100_000)}}`)],
    ["metadata nested 33 deep", record(`${'{"a":'.repeat(33)}1${"}".repeat(33)}`)],
    ["a bigint revived in metadata", record('{"a":"1"}', ',"meta":{"values":{"metadata.a":["bigint"]}}')],
    [
      "an unknown superjson type",
      record('{"a":"x"}', ',"meta":{"values":{"metadata.a":[["custom","Foo"]]}}'),
    ],
    [
      "a __proto__ path",
      record('{"a":1}', ',"meta":{"values":{"metadata.__proto__.polluted":["undefined"]}}'),
    ],
  ])("%s", async (_name, body) => {
    const response = await server.post("accounting.usage.record", body, {
      authorization: `Bearer ${userToken}`,
    });
    const text = await response.text();
    expect(response.status, text).toBe(400);
    expect(text).toContain("BAD_REQUEST");
  });
});
