import { type APIRequestContext, request } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestOidcProvider, type TestOidcProvider } from "../support/oidc-provider.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { meWithCookie, redirectOf, ssoSignIn } from "../support/sso.ts";
import { signUp, signUpAs } from "../support/users.ts";

let idp: TestOidcProvider;
let server: TestServer;
let http: APIRequestContext;
let counter = 0;

beforeAll(async () => {
  idp = await startTestOidcProvider();
  server = await startTestServer({
    env: {
      ...idp.env,
      OIDC_DISPLAY_NAME: "Test IdP",
      OIDC_ROLE_CLAIM: "groups",
      OIDC_ROLE_MAP: JSON.stringify({ "parley-admins": "admin", "parley-supervisors": "supervisor" }),
      SIGNUP_CREDITS: "500",
    },
  });
  idp.registerClient(`${server.url}/auth/oidc/callback`);
});
afterAll(async () => {
  await server?.close();
  await idp?.close();
});

// Each test is a fresh browser: its own cookie jar.
beforeEach(async () => {
  http = await request.newContext();
});
afterEach(() => http.dispose());

/** A provider account with a unique subject and e-mail. */
function providerAccount(overrides: Partial<Parameters<TestOidcProvider["accounts"]["set"]>[1]> = {}) {
  counter += 1;
  const tag = `${process.pid}x${counter}`;
  const account = {
    sub: `subject-${tag}`,
    email: `sso${tag}@example.com`,
    email_verified: true,
    name: `SSO Person ${counter}`,
    preferred_username: `sso.person${tag}`,
    ...overrides,
  };
  idp.accounts.set(account.sub, account);
  return account;
}

async function identityRows(userId: string) {
  return server.db.em
    .fork()
    .getConnection()
    .execute<{ issuer: string; subject: string }[]>(
      "select issuer, subject from user_identities where user_id = ?",
      [userId],
    );
}

async function userCount(email: string): Promise<number> {
  const [row] = await server.db.em
    .fork()
    .getConnection()
    .execute<{ n: string }[]>("select count(*) as n from users where email = ?", [email]);
  return Number(row?.n);
}

describe("auth.ssoProviders", () => {
  it("lists the configured provider for the sign-in page", async () => {
    expect(await server.client().auth.ssoProviders.query()).toEqual([
      { id: "oidc", displayName: "Test IdP", startUrl: "/auth/oidc/start" },
    ]);
  });
});

describe("signing in through the provider", () => {
  it("creates the account on first sign-in, with a normal session cookie and welcome credits", async () => {
    const account = providerAccount();
    const { location } = await ssoSignIn(http, server.url, account.sub, { next: "/profile?tab=usage" });
    expect(location.pathname + location.search).toBe("/profile?tab=usage");

    const me = await meWithCookie(http, server.url);
    expect(me).toMatchObject({
      email: account.email,
      username: account.preferred_username,
      displayName: account.name,
      role: "user",
    });
    if (!me) throw new Error("not signed in");
    expect(await identityRows(me.id)).toEqual([{ issuer: idp.issuer, subject: account.sub }]);

    const cookies = (await http.storageState()).cookies;
    const session = cookies.find((c) => c.name === "parley_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    // The attempt's state cookie is gone once used.
    expect(cookies.find((c) => c.name === "parley_oidc_state")).toBeUndefined();

    const [balance] = await server.db.em
      .fork()
      .getConnection()
      .execute<{ balance: string }[]>("select balance from credit_accounts where user_id = ?", [me.id]);
    expect(Number(balance?.balance)).toBe(500);
  });

  it("reuses the account on the next sign-in, matched by subject even after the e-mail changed", async () => {
    const account = providerAccount();
    await ssoSignIn(http, server.url, account.sub);
    const first = await meWithCookie(http, server.url);

    account.email = `changed-${account.email}`;
    const again = await request.newContext();
    try {
      const { location } = await ssoSignIn(again, server.url, account.sub);
      expect(location.pathname).toBe("/");
      const second = await meWithCookie(again, server.url);
      expect(second?.id).toBe(first?.id);
      // The Parley e-mail is not silently changed, and no second account appears.
      expect(second?.email).not.toBe(account.email);
      expect(await userCount(account.email)).toBe(0);
    } finally {
      await again.dispose();
    }
  });

  it("links to an existing password account by verified e-mail; the password still works", async () => {
    const existing = await signUp(server);
    const account = providerAccount({ email: existing.input.email.toUpperCase() });
    await ssoSignIn(http, server.url, account.sub);

    const me = await meWithCookie(http, server.url);
    expect(me?.id).toBe(existing.user.id);
    expect(await identityRows(existing.user.id)).toEqual([{ issuer: idp.issuer, subject: account.sub }]);
    const login = await server.client().auth.login.mutate({
      login: existing.input.email,
      password: existing.input.password,
    });
    expect(login.user.id).toBe(existing.user.id);
  });

  it("maps the role from the groups claim at every sign-in", async () => {
    const account = providerAccount({ groups: ["staff", "parley-admins"] });
    await ssoSignIn(http, server.url, account.sub);
    expect((await meWithCookie(http, server.url))?.role).toBe("admin");

    account.groups = ["parley-supervisors"];
    await http.dispose();
    http = await request.newContext();
    await ssoSignIn(http, server.url, account.sub);
    expect((await meWithCookie(http, server.url))?.role).toBe("supervisor");

    account.groups = [];
    await http.dispose();
    http = await request.newContext();
    await ssoSignIn(http, server.url, account.sub);
    expect((await meWithCookie(http, server.url))?.role).toBe("user");
  });
});

describe("refusals", () => {
  it("refuses an e-mail the provider has not verified, creating nothing", async () => {
    const account = providerAccount({ email_verified: false });
    const { location } = await ssoSignIn(http, server.url, account.sub);
    expect(location.pathname + location.search).toBe("/login?sso_error=sso_email_unverified");
    expect(await meWithCookie(http, server.url)).toBeNull();
    expect(await userCount(account.email)).toBe(0);
  });

  it("does not link an unverified e-mail to an existing account", async () => {
    const existing = await signUp(server);
    const account = providerAccount({ email: existing.input.email, email_verified: false });
    const { location } = await ssoSignIn(http, server.url, account.sub);
    expect(location.searchParams.get("sso_error")).toBe("sso_email_unverified");
    expect(await identityRows(existing.user.id)).toEqual([]);
  });

  it("does not link a second identity at the same provider to an account", async () => {
    const first = providerAccount();
    await ssoSignIn(http, server.url, first.sub);
    const owner = await meWithCookie(http, server.url);
    // Another account at the provider claims the same (verified) address.
    const second = providerAccount({ email: first.email });
    const other = await request.newContext();
    try {
      const { location } = await ssoSignIn(other, server.url, second.sub);
      expect(location.searchParams.get("sso_error")).toBe("sso_account_conflict");
      expect(await meWithCookie(other, server.url)).toBeNull();
      expect(await identityRows(String(owner?.id))).toEqual([{ issuer: idp.issuer, subject: first.sub }]);
    } finally {
      await other.dispose();
    }
  });

  it("refuses a forged state", async () => {
    const account = providerAccount();
    const { location } = await ssoSignIn(http, server.url, account.sub, {
      editCallbackUrl: (url) => url.searchParams.set("state", "forged-state-value"),
    });
    expect(location.searchParams.get("sso_error")).toBe("sso_state_mismatch");
    expect(await meWithCookie(http, server.url)).toBeNull();
    expect(await userCount(account.email)).toBe(0);
  });

  it("refuses a callback that reaches another browser (no state cookie there)", async () => {
    const account = providerAccount();
    const { callbackUrl } = await ssoSignIn(http, server.url, account.sub, { followCallback: false });
    const other = await request.newContext();
    try {
      const response = await other.get(callbackUrl.href, { maxRedirects: 0 });
      expect(redirectOf(response).searchParams.get("sso_error")).toBe("sso_state_mismatch");
      expect(await meWithCookie(other, server.url)).toBeNull();
    } finally {
      await other.dispose();
    }
    // The browser that started the sign-in can still finish it.
    const finished = await http.get(callbackUrl.href, { maxRedirects: 0 });
    expect(redirectOf(finished).pathname).toBe("/");
    expect((await meWithCookie(http, server.url))?.email).toBe(account.email);
  });

  it("refuses a replayed callback: an attempt is used once", async () => {
    const account = providerAccount();
    const { callbackUrl, location } = await ssoSignIn(http, server.url, account.sub);
    expect(location.pathname).toBe("/");
    // Same browser, same URL again (the state cookie was cleared, so put it back as a replayer would).
    const replay = await request.newContext({
      extraHTTPHeaders: { cookie: `parley_oidc_state=${callbackUrl.searchParams.get("state")}` },
    });
    try {
      const response = await replay.get(callbackUrl.href, { maxRedirects: 0 });
      expect(redirectOf(response).searchParams.get("sso_error")).toBe("sso_state_mismatch");
    } finally {
      await replay.dispose();
    }
  });

  it("lets only one of two simultaneous uses of a callback through", async () => {
    const account = providerAccount();
    const { callbackUrl } = await ssoSignIn(http, server.url, account.sub, { followCallback: false });
    const outcomes = await Promise.all(
      [1, 2].map(async () => {
        const location = redirectOf(await http.get(callbackUrl.href, { maxRedirects: 0 }));
        return location.searchParams.get("sso_error") ?? location.pathname;
      }),
    );
    expect(outcomes.sort()).toEqual(["/", "sso_state_mismatch"]);
  });

  it("refuses an ID token whose nonce is not the one this sign-in sent", async () => {
    const account = providerAccount();
    const { location } = await ssoSignIn(http, server.url, account.sub, {
      // The provider issues the token for a different nonce; state and PKCE stay intact.
      editAuthorizationUrl: (url) => url.searchParams.set("nonce", "a-nonce-from-another-sign-in"),
    });
    expect(location.searchParams.get("sso_error")).toBe("sso_nonce_mismatch");
    expect(await meWithCookie(http, server.url)).toBeNull();
    expect(await userCount(account.email)).toBe(0);
  });

  it("refuses a code exchanged without the PKCE verifier of this sign-in", async () => {
    const account = providerAccount();
    const { location } = await ssoSignIn(http, server.url, account.sub, {
      editAuthorizationUrl: (url) =>
        url.searchParams.set("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
    });
    expect(location.searchParams.get("sso_error")).toBe("sso_failed");
    expect(await userCount(account.email)).toBe(0);
  });

  it("says the provider refused when it answers with an error", async () => {
    const start = await http.get(`${server.url}/auth/oidc/start`, { maxRedirects: 0 });
    const authorizationUrl = redirectOf(start);
    // No session at the provider and no interaction allowed: it answers login_required.
    authorizationUrl.searchParams.set("prompt", "none");
    const callbackUrl = redirectOf(await http.get(authorizationUrl.href, { maxRedirects: 0 }));
    expect(callbackUrl.searchParams.get("error")).toBe("login_required");
    const done = await http.get(callbackUrl.href, { maxRedirects: 0 });
    expect(redirectOf(done).searchParams.get("sso_error")).toBe("sso_denied");
  });

  it("refuses a deactivated account", async () => {
    const account = providerAccount();
    await ssoSignIn(http, server.url, account.sub);
    const me = await meWithCookie(http, server.url);
    await server.db.em
      .fork()
      .getConnection()
      .execute("update users set active = false where id = ?", [me?.id]);

    const again = await request.newContext();
    try {
      const { location } = await ssoSignIn(again, server.url, account.sub);
      expect(location.searchParams.get("sso_error")).toBe("sso_account_deactivated");
      expect(await meWithCookie(again, server.url)).toBeNull();
    } finally {
      await again.dispose();
    }
  });

  it("answers odd input with a redirect, never a server error", async () => {
    const odd = await request.newContext({ extraHTTPHeaders: { cookie: "parley_oidc_state=%00%ZZ" } });
    try {
      for (const path of [
        "/auth/oidc/start?next=%00",
        "/auth/oidc/start?next=/%ED%A0%80",
        "/auth/oidc/callback",
        "/auth/oidc/callback?state=%00&code=x",
        "/auth/oidc/callback?state=%00%ZZ&code=x",
        `/auth/oidc/callback?state=${"s".repeat(5000)}`,
        "/auth/oidc/callback?error=access_denied",
      ]) {
        const response = await odd.get(`${server.url}${path}`, { maxRedirects: 0 });
        expect(response.status(), path).toBe(302);
      }
    } finally {
      await odd.dispose();
    }
  });

  it("does not follow a next path off the site", async () => {
    const account = providerAccount();
    const { location } = await ssoSignIn(http, server.url, account.sub, { next: "//evil.example/x" });
    expect(location.origin).toBe(new URL(server.url).origin);
    expect(location.pathname).toBe("/");
  });
});

describe("unfinished sign-ons", () => {
  it("caps the attempts one address may leave open", async () => {
    const connection = server.db.em.fork().getConnection();
    try {
      await connection.execute("delete from oidc_login_attempts");
      for (let i = 0; i < 100; i++) {
        const start = await http.get(`${server.url}/auth/oidc/start`, { maxRedirects: 0 });
        expect(redirectOf(start).origin).toBe(idp.issuer);
      }
      const refused = await http.get(`${server.url}/auth/oidc/start`, { maxRedirects: 0 });
      expect(redirectOf(refused).searchParams.get("sso_error")).toBe("sso_too_many_attempts");
    } finally {
      await connection.execute("delete from oidc_login_attempts");
    }
    // Once they are gone (finished or expired), the address can start again.
    const start = await http.get(`${server.url}/auth/oidc/start`, { maxRedirects: 0 });
    expect(redirectOf(start).origin).toBe(idp.issuer);
  });
});

describe("registration policy and roles left alone", () => {
  // Two more servers on the same provider, neither mapping roles from a claim.
  let limited: TestServer; // REGISTRATION=open for example.com addresses only
  let byInvitation: TestServer; // REGISTRATION=invite, with an admin made at start
  const bossEmail = `boss${process.pid}@example.com`;
  beforeAll(async () => {
    limited = await startTestServer({
      env: { ...idp.env, REGISTRATION: "open", REGISTRATION_EMAIL_DOMAINS: "example.com" },
    });
    byInvitation = await startTestServer({
      env: {
        ...idp.env,
        REGISTRATION: "invite",
        ADMIN_EMAIL: bossEmail,
        ADMIN_PASSWORD: "a-long-admin-passphrase",
      },
    });
    idp.registerClient(...[server, limited, byInvitation].map((s) => `${s.url}/auth/oidc/callback`));
  });
  afterAll(async () => {
    await limited?.close();
    await byInvitation?.close();
  });

  it("leaves roles as admins set them when no role claim is configured", async () => {
    const admin = await signUpAs(limited, "admin");
    const account = providerAccount({ email: admin.input.email, groups: [] });
    const { location } = await ssoSignIn(http, limited.url, account.sub);
    expect(location.pathname).toBe("/");
    expect(await meWithCookie(http, limited.url)).toMatchObject({ id: admin.user.id, role: "admin" });
  });

  it("creates accounts only within the e-mail domain allow-list", async () => {
    const outsider = providerAccount({ email: `someone${counter}@elsewhere.test` });
    const { location } = await ssoSignIn(http, limited.url, outsider.sub);
    expect(location.searchParams.get("sso_error")).toBe("sso_registration_closed");
    expect(await meWithCookie(http, limited.url)).toBeNull();
  });

  it("creates no account by invitation only, but signs in existing ones", async () => {
    const newcomer = providerAccount();
    const refused = await ssoSignIn(http, byInvitation.url, newcomer.sub);
    expect(refused.location.searchParams.get("sso_error")).toBe("sso_registration_closed");

    const boss = providerAccount({ email: bossEmail });
    const other = await request.newContext(); // another browser: no session at the provider
    try {
      const { location } = await ssoSignIn(other, byInvitation.url, boss.sub);
      expect(location.pathname).toBe("/");
      expect(await meWithCookie(other, byInvitation.url)).toMatchObject({ email: bossEmail, role: "admin" });
    } finally {
      await other.dispose();
    }
  });
});

describe("without SSO configured", () => {
  it("lists no provider and sends /auth/oidc/start back to the sign-in page", async () => {
    const plain = await startTestServer();
    try {
      expect(await plain.client().auth.ssoProviders.query()).toEqual([]);
      const response = await http.get(`${plain.url}/auth/oidc/start`, { maxRedirects: 0 });
      expect(redirectOf(response).search).toBe("?sso_error=sso_not_configured");
    } finally {
      await plain.close();
    }
  });
});
