import type { ParleyClient } from "@parley/client";
import type { TestServer } from "./server.ts";

let counter = 0;

/** A unique, valid registration input. */
export function newUserInput(
  overrides: Partial<{ email: string; username: string; password: string; displayName: string }> = {},
) {
  counter += 1;
  const tag = `${process.pid}${counter}${Math.floor(Math.random() * 1e6)}`;
  return {
    email: `user${tag}@example.com`,
    username: `user${tag}`,
    password: "plenty-long-passphrase",
    displayName: `User ${counter}`,
    ...overrides,
  };
}

/** Registers a user and returns a client signed in as them (bearer token). */
export async function signUp(server: TestServer, overrides: Parameters<typeof newUserInput>[0] = {}) {
  const input = newUserInput(overrides);
  const { user, token } = await server.client().auth.register.mutate(input);
  return { user, token, input, client: server.client(token) as ParleyClient };
}

/** Registers a user and gives them a role directly in the database (tests need admins). */
export async function signUpAs(server: TestServer, role: "user" | "supervisor" | "admin") {
  const account = await signUp(server);
  await server.db.em
    .fork()
    .getConnection()
    .execute("update users set role = ? where id = ?", [role, account.user.id]);
  return account;
}
