import type { ParleyClient } from "@parley/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/errors.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { newUserInput } from "../support/users.ts";

const ADMIN = { ADMIN_EMAIL: "chief@example.com", ADMIN_PASSWORD: "boss-of-the-place-99" };
const inviteOf = (url: string) => new URL(url).searchParams.get("invite") ?? "";

/** A server whose first admin comes from ADMIN_EMAIL (nobody can register to become one). */
async function startWithAdmin(
  env: Record<string, string>,
): Promise<{ server: TestServer; admin: ParleyClient }> {
  const server = await startTestServer({ env: { ...ADMIN, ...env } });
  const { token } = await server
    .client()
    .auth.login.mutate({ login: ADMIN.ADMIN_EMAIL, password: ADMIN.ADMIN_PASSWORD });
  return { server, admin: server.client(token) };
}

describe("REGISTRATION=invite", () => {
  let server: TestServer;
  let admin: ParleyClient;
  beforeAll(async () => {
    ({ server, admin } = await startWithAdmin({ REGISTRATION: "invite" }));
  });
  afterAll(() => server?.close());

  it("auth.registrationMode tells the SPA what to offer", async () => {
    expect(await server.client().auth.registrationMode.query()).toEqual({
      mode: "invite",
      emailDomains: [],
      passwordResetByEmail: false,
    });
  });

  it("refuses registration without an invitation", async () => {
    expect(await failureOf(server.client().auth.register.mutate(newUserInput()))).toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/invitation only/),
    });
  });

  it("an invitation link registers one account, once; its token is stored only hashed", async () => {
    const { url, invitation } = await admin.admin.invitations.create.mutate({});
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/register\?invite=[\w-]{43}$/);
    expect(invitation).toMatchObject({ status: "pending", role: "user", email: null });
    const token = inviteOf(url);
    const [stored] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ token_hash: string }[]>("select token_hash from invitations where id = ?", [invitation.id]);
    expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.token_hash).not.toContain(token);

    const first = newUserInput();
    const { user } = await server.client().auth.register.mutate({ ...first, invitationToken: token });
    expect(user.email).toBe(first.email);
    expect(
      await failureOf(server.client().auth.register.mutate({ ...newUserInput(), invitationToken: token })),
    ).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/invalid, expired or already used/),
    });

    const listed = (await admin.admin.invitations.list.query()).find((i) => i.id === invitation.id);
    expect(listed).toMatchObject({
      status: "used",
      usedBy: { id: user.id, email: first.email },
      createdBy: { email: ADMIN.ADMIN_EMAIL },
    });
  });

  it("two registrations racing with one link: exactly one account is created", async () => {
    const { url } = await admin.admin.invitations.create.mutate({});
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        server.client().auth.register.mutate({ ...newUserInput(), invitationToken: inviteOf(url) }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("an expired or revoked invitation is refused; a used one cannot be revoked", async () => {
    const expired = await admin.admin.invitations.create.mutate({ expiryDays: 1 });
    await server.db.em
      .fork()
      .getConnection()
      .execute("update invitations set expires_at = now() - interval '1 second' where id = ?", [
        expired.invitation.id,
      ]);
    const revoked = await admin.admin.invitations.create.mutate({});
    expect(await admin.admin.invitations.revoke.mutate({ id: revoked.invitation.id })).toMatchObject({
      status: "revoked",
    });
    for (const { url } of [expired, revoked]) {
      expect(
        await failureOf(
          server.client().auth.register.mutate({ ...newUserInput(), invitationToken: inviteOf(url) }),
        ),
      ).toMatchObject({ code: "BAD_REQUEST" });
    }
    const statuses = await admin.admin.invitations.list.query();
    expect(statuses.find((i) => i.id === expired.invitation.id)?.status).toBe("expired");

    const used = await admin.admin.invitations.create.mutate({});
    await server.client().auth.register.mutate({ ...newUserInput(), invitationToken: inviteOf(used.url) });
    expect(await failureOf(admin.admin.invitations.revoke.mutate({ id: used.invitation.id }))).toMatchObject({
      code: "CONFLICT",
    });
    expect(await failureOf(admin.admin.invitations.revoke.mutate({ id: crypto.randomUUID() }))).toMatchObject(
      {
        code: "NOT_FOUND",
      },
    );
  });

  it("an invitation for one address and role: another address is refused and the link stays usable", async () => {
    const invited = newUserInput();
    const { url } = await admin.admin.invitations.create.mutate({ email: invited.email, role: "supervisor" });
    expect(
      await failureOf(
        server.client().auth.register.mutate({ ...newUserInput(), invitationToken: inviteOf(url) }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/another email/) });
    const { user } = await server
      .client()
      .auth.register.mutate({ ...invited, invitationToken: inviteOf(url) });
    expect(user.role).toBe("supervisor");
  });

  it("only admins manage invitations", async () => {
    const { user: supervisorUser, passwordResetUrl } = await admin.admin.users.create.mutate({
      ...newUserInput(),
      role: "supervisor",
    });
    expect(passwordResetUrl).toBeNull();
    const { token } = await server
      .client()
      .auth.login.mutate({ login: supervisorUser.email, password: "plenty-long-passphrase" });
    const supervisor = server.client(token);
    for (const call of [
      () => supervisor.admin.invitations.create.mutate({}),
      () => supervisor.admin.invitations.list.query(),
      () => supervisor.admin.invitations.revoke.mutate({ id: crypto.randomUUID() }),
      () => supervisor.admin.users.create.mutate(newUserInput()),
      () => supervisor.admin.users.createPasswordReset.mutate({ userId: supervisorUser.id }),
    ]) {
      expect(await failureOf(call())).toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await failureOf(server.client().admin.invitations.create.mutate({}))).toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});

describe("REGISTRATION=closed", () => {
  let server: TestServer;
  let admin: ParleyClient;
  beforeAll(async () => {
    ({ server, admin } = await startWithAdmin({ REGISTRATION: "closed", SIGNUP_CREDITS: "25" }));
  });
  afterAll(() => server?.close());

  it("nobody registers, invitations are refused, and admins create accounts directly", async () => {
    expect(await failureOf(server.client().auth.register.mutate(newUserInput()))).toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/closed/),
    });
    expect(await failureOf(admin.admin.invitations.create.mutate({}))).toMatchObject({ code: "BAD_REQUEST" });

    const input = newUserInput();
    const { user, passwordResetUrl } = await admin.admin.users.create.mutate({
      email: input.email,
      username: input.username,
      displayName: "Made By Admin",
    });
    expect(user).toMatchObject({ email: input.email, role: "user", displayName: "Made By Admin" });
    // No password given: the admin hands over a one-time link, and the person picks their own.
    const token = new URL(passwordResetUrl ?? "").searchParams.get("token") ?? "";
    await server.client().auth.resetPassword.mutate({ token, newPassword: "chosen-by-the-person" });
    const { token: session } = await server
      .client()
      .auth.login.mutate({ login: input.email, password: "chosen-by-the-person" });
    // Accounts an admin creates get the welcome credits like any other.
    expect(await server.client(session).accounting.balance.query()).toMatchObject({ balance: 25 });

    expect(
      await failureOf(admin.admin.users.create.mutate({ email: input.email, username: "another-name" })),
    ).toMatchObject({ code: "CONFLICT" });
  });
});

describe("default registration mode and the e-mail domain allow-list", () => {
  it("is invite outside demo mode and open in demo mode", async () => {
    for (const [demo, mode] of [
      ["false", "invite"],
      ["true", "open"],
    ] as const) {
      const server = await startTestServer({ env: { DEMO_MODE: demo, REGISTRATION: "" } });
      try {
        expect(await server.client().auth.registrationMode.query()).toMatchObject({ mode });
      } finally {
        await server.close();
      }
    }
    // Two servers started one after the other: more than one test's time on a loaded machine.
  }, 90_000);

  it("REGISTRATION_EMAIL_DOMAINS limits self-registration to those domains", async () => {
    const server = await startTestServer({
      env: { REGISTRATION_EMAIL_DOMAINS: "Example.org, @corp.example" },
    });
    try {
      expect(await server.client().auth.registrationMode.query()).toMatchObject({
        mode: "open",
        emailDomains: ["example.org", "corp.example"],
      });
      expect(
        await failureOf(server.client().auth.register.mutate(newUserInput({ email: "someone@example.com" }))),
      ).toMatchObject({ code: "FORBIDDEN", detail: { field: "email" } });
      const { user } = await server
        .client()
        .auth.register.mutate(newUserInput({ email: "Someone@Corp.Example" }));
      expect(user.email).toBe("someone@corp.example");
    } finally {
      await server.close();
    }
  });
});
