import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/** A person at the test provider; `sub` is also what they type on its sign-in form. */
export interface ProviderAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
  preferred_username?: string;
  groups?: string[];
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The OIDC_* settings that point Parley at this provider. */
  env: Record<string, string>;
  /** Who can sign in; tests add and change accounts at will. */
  accounts: Map<string, ProviderAccount>;
  /**
   * Registers Parley as the client (its callback URL is known only once Parley listens); called
   * again, it starts the provider afresh with these redirect URIs (accounts are kept).
   */
  registerClient(...redirectUris: string[]): void;
  close(): Promise<void>;
}

const CLIENT_ID = "parley-test";
const CLIENT_SECRET = "parley-test-secret-that-is-long-enough";

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on a loopback port, with one
 * confidential client and a sign-in form that asks only which account to be: typing an unknown
 * name shows the form again.
 */
export async function startTestOidcProvider(): Promise<TestOidcProvider> {
  const accounts = new Map<string, ProviderAccount>();
  let provider: { oidc: Provider; handle: ReturnType<Provider["callback"]> } | null = null;

  const server = createServer((req, res) => {
    if (!provider) {
      res.writeHead(503).end("provider not configured yet");
      return;
    }
    if (req.url?.startsWith("/interaction/")) {
      interaction(provider.oidc, accounts, req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
      return;
    }
    provider.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: CLIENT_ID, OIDC_CLIENT_SECRET: CLIENT_SECRET },
    accounts,
    registerClient(...redirectUris) {
      const oidc = createProvider(issuer, redirectUris, accounts);
      provider = { oidc, handle: oidc.callback() };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

function createProvider(issuer: string, redirectUris: string[], accounts: Map<string, ProviderAccount>) {
  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  return new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [{ ...signingKey, kid: "test-key", alg: "RS256", use: "sig" }] },
    cookies: { keys: ["oidc-test-cookie-key"] },
    pkce: { required: () => true },
    // Explicit lifetimes (seconds) keep the provider from warning about its defaults.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
    features: { devInteractions: { enabled: false } },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "preferred_username", "groups"],
    },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ ...account }) };
    },
    async renderError(ctx, out) {
      ctx.type = "text/plain";
      ctx.body = `provider error: ${JSON.stringify(out)}`;
    },
  });
}

/** GET shows the form; POST …/login with `login=<sub>` signs that account in and consents. */
async function interaction(
  provider: Provider,
  accounts: Map<string, ProviderAccount>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (req.method === "POST") {
    const login = new URLSearchParams(await readBody(req)).get("login") ?? "";
    if (accounts.has(login)) {
      const grant = new provider.Grant({ accountId: login, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: login }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
  }
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(`<!doctype html>
<html lang="en"><head><title>Test provider</title></head><body>
<h1>Test identity provider</h1>
<form method="post" action="/interaction/${details.uid}/login">
  <label>Account <input name="login" autocomplete="off"></label>
  <button type="submit">Continue</button>
</form></body></html>`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += String(chunk);
  return body;
}
