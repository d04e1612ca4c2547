import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/errors.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { newUserInput, signUp } from "../support/users.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

type ErrorBody = {
  error: {
    json: { message: string; data: { code: string; httpStatus: number; zodIssues: unknown[] | null } };
  };
};

describe("malformed requests get BAD_REQUEST, never a 500", () => {
  it.each([
    ["broken JSON", "{bad"],
    ["not an object", "[1,2,3]"],
    ["empty body", ""],
  ])("%s", async (_name, body) => {
    const response = await server.post("auth.login", body);
    expect(response.status).toBe(400);
    const json = (await response.json()) as ErrorBody;
    expect(json.error.json.data.code).toBe("BAD_REQUEST");
  });

  it("wrong types come back with zod issues naming the field", async () => {
    const response = await server.post(
      "auth.register",
      JSON.stringify({ json: { email: 42, username: ["x"], password: true } }),
    );
    expect(response.status).toBe(400);
    const json = (await response.json()) as ErrorBody;
    expect(json.error.json.data.code).toBe("BAD_REQUEST");
    const paths = (json.error.json.data.zodIssues as { path: string[] }[]).map((issue) => issue.path[0]);
    expect(paths).toEqual(expect.arrayContaining(["email", "username", "password"]));
  });

  it("a body over the size limit is refused with 413", async () => {
    const response = await server.post(
      "auth.login",
      JSON.stringify({ json: { login: "x".repeat(2_000_000), password: "y" } }),
    );
    expect(response.status).toBe(413);
  });

  it("an unknown procedure is a 404, not a 500", async () => {
    const response = await server.post("auth.nope", "{}");
    expect(response.status).toBe(404);
  });
});

describe("every string input is capped", () => {
  const long = (n: number) => "a".repeat(n);
  it.each([
    ["email", { email: `${long(250)}@example.com` }],
    ["username", { username: long(33) }],
    ["displayName", { displayName: long(81) }],
    ["password", { password: `${long(201)}Zz9!` }],
  ])("register.%s", async (field, overrides) => {
    const error = await failureOf(server.client().auth.register.mutate(newUserInput(overrides)));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.zodIssues?.map((issue) => issue.path[0])).toContain(field);
  });

  it("login name and password", async () => {
    const error = await failureOf(
      server.client().auth.login.mutate({ login: long(255), password: long(201) }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.zodIssues?.map((issue) => issue.path[0]).sort()).toEqual(["login", "password"]);
  });

  it("profile fields", async () => {
    const { client } = await signUp(server);
    const error = await failureOf(client.auth.updateProfile.mutate({ displayName: long(81) }));
    expect(error.code).toBe("BAD_REQUEST");
  });

  it("an invalid email and username shape", async () => {
    const error = await failureOf(
      server.client().auth.register.mutate(newUserInput({ email: "not-an-email", username: "bad name!" })),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.zodIssues?.map((issue) => issue.path[0]).sort()).toEqual(["email", "username"]);
  });
});
