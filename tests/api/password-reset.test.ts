import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/errors.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { resetLinkIn, startSmtpServer, type TestSmtpServer } from "../support/smtp.ts";
import { signUp, signUpAs } from "../support/users.ts";

const tokenOf = (url: string) => new URL(url).searchParams.get("token") ?? "";
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("admin-issued password-reset links", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("a one-time link sets a new password, ends every session, and works once", async () => {
    const admin = await signUpAs(server, "admin");
    const person = await signUp(server);
    const { url } = await admin.client.admin.users.createPasswordReset.mutate({ userId: person.user.id });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/reset-password\?token=[\w-]{43}$/);
    const token = tokenOf(url);
    const rows = await server.db.em
      .fork()
      .getConnection()
      .execute<{ token_hash: string; created_by_id: string }[]>(
        "select token_hash, created_by_id from password_resets where user_id = ?",
        [person.user.id],
      );
    expect(rows).toEqual([{ token_hash: sha256(token), created_by_id: admin.user.id }]);

    // A weak password is refused and leaves the link usable.
    expect(
      await failureOf(server.client().auth.resetPassword.mutate({ token, newPassword: "short" })),
    ).toMatchObject({ code: "BAD_REQUEST", detail: { field: "newPassword" } });
    await server.client().auth.resetPassword.mutate({ token, newPassword: "fresh-start-passphrase" });

    expect(await failureOf(person.client.auth.me.query())).toMatchObject({ code: "UNAUTHORIZED" });
    expect(
      await failureOf(
        server.client().auth.login.mutate({ login: person.input.email, password: person.input.password }),
      ),
    ).toMatchObject({ code: "UNAUTHORIZED" });
    await server
      .client()
      .auth.login.mutate({ login: person.input.email, password: "fresh-start-passphrase" });
    expect(
      await failureOf(
        server.client().auth.resetPassword.mutate({ token, newPassword: "yet-another-passphrase" }),
      ),
    ).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/invalid, expired or already used/),
    });
  });

  it("a newer link replaces the older one; an expired or made-up link is refused", async () => {
    const admin = await signUpAs(server, "admin");
    const person = await signUp(server);
    const first = await admin.client.admin.users.createPasswordReset.mutate({ userId: person.user.id });
    const second = await admin.client.admin.users.createPasswordReset.mutate({ userId: person.user.id });
    expect(
      await failureOf(
        server
          .client()
          .auth.resetPassword.mutate({ token: tokenOf(first.url), newPassword: "another-passphrase" }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST" });
    await server.db.em
      .fork()
      .getConnection()
      .execute("update password_resets set expires_at = now() - interval '1 second' where token_hash = ?", [
        sha256(tokenOf(second.url)),
      ]);
    for (const token of [tokenOf(second.url), "x".repeat(43), "not a token!"]) {
      expect(
        await failureOf(
          server.client().auth.resetPassword.mutate({ token, newPassword: "another-passphrase" }),
        ),
      ).toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(
      await failureOf(admin.client.admin.users.createPasswordReset.mutate({ userId: crypto.randomUUID() })),
    ).toMatchObject({ code: "NOT_FOUND" });
  });

  it("without SMTP_URL, users cannot ask for a link themselves", async () => {
    expect(await server.client().auth.registrationMode.query()).toMatchObject({
      passwordResetByEmail: false,
    });
    expect(
      await failureOf(server.client().auth.requestPasswordReset.mutate({ email: "someone@example.com" })),
    ).toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("password reset by mail (SMTP_URL)", () => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer({
      env: { SMTP_URL: smtp.url, SMTP_FROM: "Parley <noreply@parley.test>" },
    });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  it("mails a link to an existing address; the answer is the same for an unknown one, which gets no mail", async () => {
    expect(await server.client().auth.registrationMode.query()).toMatchObject({ passwordResetByEmail: true });
    const person = await signUp(server);
    const ask = (email: string) =>
      server.post("auth.requestPasswordReset", JSON.stringify({ json: { email } }), {});
    const unknown = await ask("nobody-here@example.com");
    const known = await ask(person.input.email.toUpperCase());
    expect(unknown.status).toBe(known.status);
    expect(await unknown.text()).toBe(await known.text());

    const mail = await smtp.mailTo(person.input.email);
    expect(mail.raw).toMatch(/Subject: Reset your Parley password/);
    expect(mail.raw).toMatch(/From: Parley <noreply@parley\.test>/);
    const link = resetLinkIn(mail);
    expect(link.startsWith(server.url)).toBe(true);
    await server
      .client()
      .auth.resetPassword.mutate({ token: tokenOf(link), newPassword: "mailed-me-a-new-one" });
    await server
      .client()
      .auth.login.mutate({ login: person.input.username, password: "mailed-me-a-new-one" });
    expect(smtp.mails.every((m) => m.to.includes(person.input.email))).toBe(true);
  });

  it("a deactivated account gets no mail, and asking too often sends no more than 3", async () => {
    const admin = await signUpAs(server, "admin");
    const sleeper = await signUp(server);
    await admin.client.admin.users.update.mutate({ userId: sleeper.user.id, active: false });
    const eager = await signUp(server);
    for (let i = 0; i < 5; i++) {
      await server.client().auth.requestPasswordReset.mutate({ email: eager.input.email });
      await server.client().auth.requestPasswordReset.mutate({ email: sleeper.input.email });
    }
    // Each request's link replaces the previous one: wait until the third mail is there.
    await expect
      .poll(() => smtp.mails.filter((m) => m.to.includes(eager.input.email)).length, { timeout: 20_000 })
      .toBe(3);
    const [row] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ n: string }[]>("select count(*) as n from password_resets where user_id = ?", [
        sleeper.user.id,
      ]);
    expect(Number(row?.n)).toBe(0);
  });
});
