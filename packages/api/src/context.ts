import type { ChatService } from "@parley/agent";
import {
  type ApiKeyScope,
  type ExternalTokenVerifier,
  isApiKeySecret,
  type PublicUser,
  type RegistrationPolicy,
  type SessionManager,
  type ValidatedSession,
} from "@parley/auth";
import type { Database, EntityManager } from "@parley/db";

/** Minimal structured logger (pino's shape), so the API does not depend on a logging library. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Settings the accounting procedures need. */
export interface AccountingSettings {
  /** Open reservations older than this are released by the sweeper. */
  reservationTtlSeconds: number;
  /** Credits granted to every new account (0: none). */
  signupCredits: number;
  /** Demo mode: welcome credits are an expiring demo grant, removed once the server runs for real. */
  demo: boolean;
}

/** Delivers password-reset links by mail (SMTP_URL). */
export interface PasswordResetMailer {
  sendPasswordReset(to: { email: string; displayName: string }, url: string): Promise<void>;
}

/** Who may register, and how invitation and reset links reach people. */
export interface AccountSettings {
  registration: RegistrationPolicy;
  /** Where people open Parley (PUBLIC_URL, else the listening address): links start with it. */
  publicUrl(): string;
  /** Null when no mail server is configured: then only admins issue reset links. */
  mailer: PasswordResetMailer | null;
}

/** A single-sign-on provider the sign-in page offers; the browser goes to `startUrl`. */
export interface SsoProvider {
  id: string;
  displayName: string;
  startUrl: string;
}

/** Long-lived collaborators, built once at start and shared by every request. */
export interface ApiServices {
  db: Database;
  sessions: SessionManager;
  accounting: AccountingSettings;
  accounts: AccountSettings;
  chat: ChatService;
  /** HS256 JWTs of the original design's external auth service (only when JWT_ACCESS_SECRET is set). */
  externalTokens?: ExternalTokenVerifier | undefined;
  /** Empty when single sign-on is not configured. */
  ssoProviders: SsoProvider[];
}

/** Facts about the HTTP request that procedures may act on; filled in by the server. */
export interface RequestInfo {
  /** The request's id (X-Request-Id), as in the logs and on the response; stored on audit records. */
  requestId: string | null;
  ipAddress: string | null;
  userAgent: string | null;
  /** The request came from a browser page on another origin (CSRF guard input). */
  foreignOrigin: boolean;
  /** Token from `Authorization: Bearer …`, if any. */
  bearerToken: string | null;
  /** Token from the session cookie, if any. */
  cookieToken: string | null;
}

/** Writes the session cookie on the response; the server knows the cookie attributes. */
export interface SessionCookieWriter {
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

export interface CreateContextOptions {
  services: ApiServices;
  request: RequestInfo;
  cookies: SessionCookieWriter;
  resHeaders: Headers;
  log: Logger;
}

export type AuthVia = "cookie" | "bearer" | "apiKey";

export interface Context {
  services: ApiServices;
  /** A fresh EntityManager (unit of work) for this request. */
  em: EntityManager;
  request: RequestInfo;
  cookies: SessionCookieWriter;
  resHeaders: Headers;
  log: Logger;
  user: PublicUser | null;
  session: ValidatedSession | null;
  /** Set when the caller authenticated with an API key (then `session` is null). */
  apiKey: { id: string; scopes: ApiKeyScope[] } | null;
  authVia: AuthVia | null;
}

/**
 * Resolves who is calling. A bearer token wins over the cookie: programs send it deliberately,
 * while cookies ride along with every browser request. A bearer token starting `pk_` is an API
 * key; any other is a session token.
 */
export async function createContext(options: CreateContextOptions): Promise<Context> {
  const { services, request } = options;
  if (request.bearerToken && isApiKeySecret(request.bearerToken)) {
    const key = await services.sessions.validateApiKey(request.bearerToken);
    return {
      ...baseContext(options),
      user: key?.user ?? null,
      session: null,
      apiKey: key ? { id: key.id, scopes: key.scopes } : null,
      authVia: key ? "apiKey" : null,
    };
  }
  const token = request.bearerToken ?? request.cookieToken;
  const authVia: AuthVia | null = request.bearerToken ? "bearer" : request.cookieToken ? "cookie" : null;
  const found = token
    ? (request.bearerToken && (await services.externalTokens?.validate(request.bearerToken))) ||
      (await services.sessions.validate(token))
    : null;

  if (found?.session.fresh && authVia === "cookie") {
    options.cookies.set(found.session.token, found.session.expiresAt);
  } else if (!found && authVia === "cookie") {
    options.cookies.clear();
  }

  return {
    ...baseContext(options),
    user: found?.user ?? null,
    session: found?.session ?? null,
    apiKey: null,
    authVia: found ? authVia : null,
  };
}

function baseContext(options: CreateContextOptions) {
  return {
    services: options.services,
    em: options.services.db.em.fork(),
    request: options.request,
    cookies: options.cookies,
    resHeaders: options.resHeaders,
    log: options.log,
  };
}
