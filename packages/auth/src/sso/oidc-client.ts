import { timingSafeEqual } from "node:crypto";
import { type EntityManager, OidcLoginAttempt, type UserRole } from "@parley/db";
import * as oidc from "openid-client";
import { hashToken } from "../token-hash.ts";
import { roleFromClaims } from "./role-claim.ts";
import { type SsoIdentity, type SsoSignInResult, signInWithSso } from "./sso-accounts.ts";
import { ssoRefusal } from "./sso-errors.ts";

export interface OidcSettings {
  /** The provider's issuer URL; its metadata is discovered from `/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The claim whose value decides the role at each sign-in; unset leaves roles to admins. */
  roleClaim?: string | undefined;
  /** Claim value → role; empty takes the claim's values as role names. */
  roleMap?: Readonly<Record<string, UserRole>> | undefined;
  /** Whether a sign-in with no matching account may create one for this e-mail (default: yes). */
  mayCreateAccount?: ((email: string) => boolean) | undefined;
}

/** How long the browser has between leaving for the provider and coming back. */
export const OIDC_ATTEMPT_TTL_SECONDS = 600;
/** Unfinished sign-ons one address may have open at once (generous: offices share an address). */
export const MAX_OPEN_ATTEMPTS_PER_ADDRESS = 100;
const SCOPE = "openid email profile";
const DISCOVERY_TIMEOUT_SECONDS = 10;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Sign-in through an OpenID Connect provider: authorization code flow with PKCE, `state` and
 * `nonce` (openid-client does the protocol and checks the ID token). `begin` stores the attempt
 * and gives the URL to send the browser to; `finish` checks the callback and signs the user in.
 * The caller keeps `state` in an HttpOnly cookie so the callback is bound to the browser that
 * started it; the nonce and PKCE verifier never leave the server.
 */
export class OidcClient {
  readonly #settings: OidcSettings;
  #configuration: Promise<oidc.Configuration> | null = null;

  constructor(settings: OidcSettings) {
    const issuer = new URL(settings.issuer);
    if (
      issuer.protocol !== "https:" &&
      !(issuer.protocol === "http:" && LOOPBACK_HOSTS.has(issuer.hostname))
    ) {
      throw new Error("The OpenID Connect issuer must use https (plain http only on a loopback address).");
    }
    this.#settings = settings;
  }

  get issuer(): string {
    return this.#settings.issuer;
  }

  /** Starts an attempt: returns the provider's authorization URL and the `state` for the cookie. */
  async begin(
    em: EntityManager,
    input: { redirectUri: string; returnTo: string; ipAddress: string | null },
  ): Promise<{ authorizationUrl: URL; state: string }> {
    const configuration = await this.#discover();
    const now = new Date();
    await em.nativeDelete(OidcLoginAttempt, { expiresAt: { $lt: now } });
    if (
      input.ipAddress &&
      (await em.count(OidcLoginAttempt, { ipAddress: input.ipAddress })) >= MAX_OPEN_ATTEMPTS_PER_ADDRESS
    ) {
      throw ssoRefusal(
        "TOO_MANY_REQUESTS",
        "sso_too_many_attempts",
        "Too many unfinished sign-ons from this address.",
      );
    }
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    em.create(OidcLoginAttempt, {
      id: hashToken(state),
      nonce,
      codeVerifier,
      returnTo: input.returnTo,
      ipAddress: input.ipAddress,
      expiresAt: new Date(now.getTime() + OIDC_ATTEMPT_TTL_SECONDS * 1000),
    });
    await em.flush();
    const authorizationUrl = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: input.redirectUri,
      response_type: "code",
      scope: SCOPE,
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
    });
    return { authorizationUrl, state };
  }

  /**
   * Completes an attempt from the provider's redirect. `callbackUrl` is the callback as the
   * browser saw it (public origin, query included): its origin and path are the redirect URI.
   * `cookieState` is the state the browser kept; an attempt is usable once.
   */
  async finish(
    em: EntityManager,
    input: { callbackUrl: URL; cookieState: string | null },
  ): Promise<SsoSignInResult & { returnTo: string }> {
    const state = input.callbackUrl.searchParams.get("state");
    if (!state || !input.cookieState || !sameString(state, input.cookieState)) {
      throw ssoRefusal("BAD_REQUEST", "sso_state_mismatch", "This sign-in did not start in this browser.");
    }
    const id = hashToken(state);
    const attempt = await em.findOne(OidcLoginAttempt, { id });
    // Deleting is what claims the attempt: of two callbacks racing with one state, one deletes it.
    const claimed = attempt ? await em.nativeDelete(OidcLoginAttempt, { id }) : 0;
    if (!attempt || claimed !== 1 || attempt.expiresAt.getTime() < Date.now()) {
      throw ssoRefusal("BAD_REQUEST", "sso_state_mismatch", "This sign-in has expired or was already used.");
    }

    const identity = await this.#verifiedIdentity(input.callbackUrl, state, attempt);
    const { roleClaim, roleMap = {}, mayCreateAccount = () => true } = this.#settings;
    const result = await signInWithSso(em, identity.identity, {
      role: roleClaim ? roleFromClaims(identity.claims, roleClaim, roleMap) : undefined,
      mayCreateAccount,
    });
    return { ...result, returnTo: attempt.returnTo };
  }

  async #verifiedIdentity(
    callbackUrl: URL,
    state: string,
    attempt: OidcLoginAttempt,
  ): Promise<{ identity: SsoIdentity; claims: Record<string, unknown> }> {
    const configuration = await this.#discover();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: attempt.codeVerifier,
        expectedState: state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      if (error instanceof oidc.AuthorizationResponseError) {
        throw ssoRefusal("FORBIDDEN", "sso_denied", `The provider refused the sign-in (${error.error}).`);
      }
      if (isNonceMismatch(error)) {
        throw ssoRefusal(
          "BAD_REQUEST",
          "sso_nonce_mismatch",
          "The provider's ID token is for another sign-in.",
        );
      }
      throw error;
    }
    const idToken = tokens.claims();
    if (!idToken) throw new Error("The provider returned no ID token.");
    let claims: Record<string, unknown> = { ...idToken };
    if (configuration.serverMetadata().userinfo_endpoint) {
      // Many providers put e-mail and profile claims only in UserInfo when the code flow is used.
      const userInfo = await oidc.fetchUserInfo(configuration, tokens.access_token, idToken.sub);
      claims = { ...userInfo, ...idToken };
    }
    return {
      claims,
      identity: {
        issuer: idToken.iss,
        subject: idToken.sub,
        email: typeof claims.email === "string" ? claims.email : null,
        // Some providers send the flag as a string.
        emailVerified: claims.email_verified === true || claims.email_verified === "true",
        name: typeof claims.name === "string" ? claims.name : null,
        preferredUsername: typeof claims.preferred_username === "string" ? claims.preferred_username : null,
      },
    };
  }

  /** Discovery once, on first use (a provider that is down at start does not stop Parley). */
  #discover(): Promise<oidc.Configuration> {
    if (!this.#configuration) {
      const { issuer, clientId, clientSecret } = this.#settings;
      const insecure = new URL(issuer).protocol === "http:";
      this.#configuration = oidc
        .discovery(new URL(issuer), clientId, clientSecret, clientSecretAuth(clientSecret), {
          timeout: DISCOVERY_TIMEOUT_SECONDS,
          // Checked in the constructor: plain http only for a provider on this machine.
          execute: insecure ? [oidc.allowInsecureRequests] : [],
        })
        .catch((error: unknown) => {
          this.#configuration = null;
          throw error;
        });
    }
    return this.#configuration;
  }
}

/** HTTP Basic (the OpenID default) unless the provider lists only other methods, then a form post. */
function clientSecretAuth(clientSecret: string): oidc.ClientAuth {
  const basic = oidc.ClientSecretBasic(clientSecret);
  const post = oidc.ClientSecretPost(clientSecret);
  return (server, client, body, headers) => {
    const methods = server.token_endpoint_auth_methods_supported;
    const auth = !methods || methods.includes("client_secret_basic") ? basic : post;
    auth(server, client, body, headers);
  };
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** openid-client reports a wrong ID token claim with the claim's name two causes down. */
function isNonceMismatch(error: unknown): boolean {
  if (!(error instanceof oidc.ClientError) || error.code !== "OAUTH_JWT_CLAIM_COMPARISON_FAILED")
    return false;
  const inner: unknown = error.cause;
  const detail = inner instanceof Error ? inner.cause : undefined;
  return typeof detail === "object" && detail !== null && "claim" in detail && detail.claim === "nonce";
}
