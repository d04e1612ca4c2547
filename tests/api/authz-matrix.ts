// Who may call what: one row per procedure of appRouter. authz.test.ts calls every row as every
// kind of caller, on the caller's own resource and on someone else's, over real HTTP, and fails
// when a procedure has no row here. Add a row with every new procedure; change a row when the
// rules change (and say why in the commit).
import { newUserInput } from "../support/users.ts";

export const ROLES = ["anonymous", "user", "supervisor", "admin", "deactivated"] as const;
export type Role = (typeof ROLES)[number];
/** "own": the caller's resource (or none named); "other": a resource of another, ordinary user. */
export type Target = "own" | "other";
export type Outcome = "allowed" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND";

export interface Account {
  id: string;
  email: string;
  password: string;
}

/** What rows build their inputs from; authz.test.ts makes it once per file. */
export interface World {
  /** The ordinary user whose resources are "someone else's" to every caller. */
  other: Account;
  /** An account to sign in as (auth.login). */
  loginAccount: Account;
  /** A model with a price. */
  modelId: string;
  /** A new open reservation (accounting.streaming) of the user. */
  reservationOf(userId: string): Promise<string>;
  /** A new chat session of the user. */
  chatSessionOf(userId: string): Promise<string>;
  /** A finished answer (turn) of the user, made once per user. */
  turnOf(userId: string): Promise<string>;
  /** The stored answer (assistant message id) in a chat of the user, made once per user. */
  answerOf(userId: string): Promise<string>;
  /** The share id of a new shared chat of the user. */
  sharedChatOf(userId: string): Promise<string>;
  /** A message of a new, answered chat of the user: its question or its answer. */
  chatMessageOf(userId: string, role: "user" | "assistant"): Promise<string>;
  /** A new one-time password-reset token for the user (issued by an admin). */
  resetTokenFor(userId: string): Promise<string>;
  /** A new open invitation. */
  invitationId(): Promise<string>;
  /** A new API key of the user. */
  apiKeyOf(userId: string): Promise<string>;
  /** A new (unpublished) chat preset of the user. */
  presetOf(userId: string): Promise<string>;
}

export interface InputContext {
  world: World;
  /** The calling account (null when anonymous; the deactivated caller's own account otherwise). */
  caller: Account | null;
  /** Whose resource the input names: the caller's when "own" and the caller can act, else other. */
  owner: Account;
  target: Target;
}

export interface MatrixRow {
  /** The least role that may call it. Sets the expected outcome unless `expect` says otherwise. */
  access: "public" | "user" | "supervisor" | "admin";
  /** Rows whose input names a user or a resource run for both targets; others for "own" only. */
  targets?: readonly Target[];
  input?: (context: InputContext) => unknown;
  /** Exceptions to what `access` implies, per target and role. */
  expect?: Partial<Record<Target, Partial<Record<Role, Outcome>>>>;
}

const BOTH: readonly Target[] = ["own", "other"];
/** Another user's private resource does not exist as far as any caller can tell. */
const HIDDEN_FROM_OTHERS = {
  other: { user: "NOT_FOUND", supervisor: "NOT_FOUND", admin: "NOT_FOUND" },
} as const;
const tokens = { input: 10, output: 10 };
/** Nobody moves credits on their own account; another admin or supervisor has to. */
const NOT_ON_OWN_ACCOUNT = { own: { supervisor: "FORBIDDEN", admin: "FORBIDDEN" } } as const;

export const AUTHZ_MATRIX: Record<string, MatrixRow> = {
  // auth
  "auth.registrationMode": { access: "public" },
  "auth.ssoProviders": { access: "public" },
  "auth.session": { access: "public" },
  "auth.register": { access: "public", input: () => newUserInput() },
  "auth.resetPassword": {
    access: "public",
    input: async ({ world }) => ({
      token: await world.resetTokenFor(world.other.id),
      newPassword: world.other.password,
    }),
  },
  // The test server has no SMTP_URL: reset by e-mail is unavailable to everyone alike.
  "auth.requestPasswordReset": {
    access: "public",
    input: ({ world }) => ({ email: world.other.email }),
    expect: {
      own: {
        anonymous: "FORBIDDEN",
        user: "FORBIDDEN",
        supervisor: "FORBIDDEN",
        admin: "FORBIDDEN",
        deactivated: "FORBIDDEN",
      },
    },
  },
  "auth.login": {
    access: "public",
    input: ({ world }) => ({ login: world.loginAccount.email, password: world.loginAccount.password }),
  },
  "auth.apiKeys.create": { access: "user", input: () => ({ name: "authz test", scopes: ["chat"] }) },
  "auth.apiKeys.list": { access: "user" },
  "auth.apiKeys.revoke": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({ id: await world.apiKeyOf(owner.id) }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "auth.logout": { access: "user" },
  "auth.logoutEverywhere": { access: "user" },
  "auth.me": { access: "user" },
  "auth.updateProfile": { access: "user", input: () => ({ displayName: "Renamed" }) },
  "auth.changePassword": {
    access: "user",
    input: ({ owner }) => ({ currentPassword: owner.password, newPassword: owner.password }),
  },

  // accounting: always the caller's own figures
  "accounting.balance": { access: "user" },
  "accounting.check": { access: "user", input: () => ({ requiredCredits: 1 }) },
  "accounting.calculate": {
    access: "user",
    input: ({ world }) => ({ modelId: world.modelId, inputTokens: 1, outputTokens: 1 }),
  },
  "accounting.history": { access: "user", input: () => ({}) },
  "accounting.groupedHistory": { access: "user", input: () => ({}) },
  "accounting.grants": { access: "user" },
  "accounting.models": { access: "user" },
  "accounting.streaming.initialize": {
    access: "user",
    input: ({ world }) => ({ modelId: world.modelId, estimatedTokens: tokens }),
  },
  "accounting.streaming.finalize": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({
      sessionId: await world.reservationOf(owner.id),
      actualTokens: tokens,
    }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "accounting.streaming.abort": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({
      sessionId: await world.reservationOf(owner.id),
      tokensGenerated: 1,
    }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "accounting.streaming.active": { access: "user" },
  "accounting.usage.record": {
    access: "user",
    input: () => ({ service: "authz-test", operation: "call", credits: 1 }),
  },
  "accounting.usage.stats": { access: "user", input: () => ({}) },

  // admin: supervisors look and move credits, admins also change access and prices
  "admin.users.list": { access: "supervisor", input: () => ({}) },
  "admin.users.update": {
    access: "admin",
    targets: BOTH,
    input: ({ owner }) => ({ userId: owner.id, active: true }),
  },
  "admin.users.create": {
    access: "admin",
    input: () => {
      const { email, username, password } = newUserInput();
      return { email, username, password };
    },
  },
  "admin.users.createPasswordReset": {
    access: "admin",
    targets: BOTH,
    input: ({ owner }) => ({ userId: owner.id }),
  },
  "admin.invitations.create": { access: "admin", input: () => ({}) },
  "admin.invitations.list": { access: "admin" },
  "admin.audit.list": { access: "admin" },
  "admin.invitations.revoke": {
    access: "admin",
    input: async ({ world }) => ({ id: await world.invitationId() }),
  },
  "admin.credits.balanceOf": {
    access: "supervisor",
    targets: BOTH,
    input: ({ owner }) => ({ userId: owner.id }),
  },
  "admin.credits.allocate": {
    access: "supervisor",
    targets: BOTH,
    expect: NOT_ON_OWN_ACCOUNT,
    input: ({ owner }) => ({ userId: owner.id, credits: 1 }),
  },
  "admin.credits.set": {
    access: "supervisor",
    targets: BOTH,
    expect: NOT_ON_OWN_ACCOUNT,
    input: ({ owner }) => ({ userId: owner.id, credits: 1_000_000 }),
  },
  "admin.credits.remove": {
    access: "supervisor",
    targets: BOTH,
    expect: NOT_ON_OWN_ACCOUNT,
    input: ({ owner }) => ({ userId: owner.id, credits: 1 }),
  },
  "admin.credits.adjust": {
    access: "supervisor",
    targets: BOTH,
    expect: NOT_ON_OWN_ACCOUNT,
    input: ({ owner }) => ({ userId: owner.id, adjustment: 1 }),
  },
  "admin.credits.historyOf": {
    access: "supervisor",
    targets: BOTH,
    input: ({ owner }) => ({ userId: owner.id }),
  },
  "admin.credits.grantsOf": {
    access: "supervisor",
    targets: BOTH,
    input: ({ owner }) => ({ userId: owner.id }),
  },
  "admin.usage.statsOf": {
    access: "supervisor",
    targets: BOTH,
    input: ({ owner }) => ({ userId: owner.id }),
  },
  "admin.usage.systemStats": { access: "admin", input: () => ({}) },
  "admin.streaming.active": {
    access: "supervisor",
    targets: BOTH,
    input: ({ owner }) => ({ userId: owner.id }),
  },
  "admin.streaming.recent": {
    access: "supervisor",
    targets: BOTH,
    input: ({ owner }) => ({ userId: owner.id }),
  },
  "admin.pricing.list": { access: "supervisor" },
  "admin.pricing.update": {
    access: "admin",
    input: ({ world }) => ({ modelId: world.modelId, displayName: "Authz test model" }),
  },

  // sessions (chat): private to their owner. The chat rewrite (issue 8) updates these rows.
  "sessions.create": { access: "user", input: () => ({}) },
  "sessions.list": { access: "user", input: () => ({}) },
  "sessions.get": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({ sessionId: await world.chatSessionOf(owner.id) }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "sessions.rename": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({ sessionId: await world.chatSessionOf(owner.id), title: "Renamed" }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "sessions.update": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({
      sessionId: await world.chatSessionOf(owner.id),
      systemPrompt: "Answer in French.",
      temperature: 0.5,
      maxTokens: 100,
    }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "sessions.delete": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({ sessionId: await world.chatSessionOf(owner.id) }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "sessions.config": { access: "user" },
  "sessions.send": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({ sessionId: await world.chatSessionOf(owner.id), content: "Hello" }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "sessions.sendAndStream": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({
      sessionId: await world.chatSessionOf(owner.id),
      content: "Hello",
      clientRequestId: crypto.randomUUID(),
    }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "sessions.direct": { access: "user", input: () => ({ content: "Hello" }) },
  "sessions.stream": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({ turnId: await world.turnOf(owner.id) }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "sessions.stop": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({ turnId: await world.turnOf(owner.id) }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "sessions.active": { access: "user" },
  "sessions.search": { access: "user", input: () => ({ query: "hello" }) },
  "sessions.export": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({
      sessionId: await world.chatSessionOf(owner.id),
      format: "markdown",
    }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "sessions.share": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({ sessionId: await world.chatSessionOf(owner.id) }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "sessions.unshare": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({ sessionId: await world.chatSessionOf(owner.id) }),
    expect: HIDDEN_FROM_OTHERS,
  },
  // Anyone holding the link reads a shared chat, signed in or not (deactivated accounts included:
  // the link needs no account at all).
  "sessions.shared": {
    access: "public",
    input: async ({ world }) => ({ shareId: await world.sharedChatOf(world.other.id) }),
  },

  // feedback: on the caller's own answers only
  "feedback.rate": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({ messageId: await world.answerOf(owner.id), rating: "up" }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "feedback.forSession": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({ sessionId: await world.chatSessionOf(owner.id) }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "admin.feedback.list": { access: "admin", input: () => ({}) },
  "sessions.edit": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({
      messageId: await world.chatMessageOf(owner.id, "user"),
      content: "Hello again",
    }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "sessions.regenerate": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({ messageId: await world.chatMessageOf(owner.id, "assistant") }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "sessions.switchBranch": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({ messageId: await world.chatMessageOf(owner.id, "user") }),
    expect: HIDDEN_FROM_OTHERS,
  },

  // presets: the caller's own (another's unpublished preset does not exist for anyone else; an
  // admin may change published ones — see presets.test.ts); publishing is the admins' alone.
  "presets.list": { access: "user" },
  "presets.create": { access: "user", input: () => ({ name: "Authz preset", systemPrompt: "Be brief." }) },
  "presets.update": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({ presetId: await world.presetOf(owner.id), temperature: 0.2 }),
    expect: HIDDEN_FROM_OTHERS,
  },
  "presets.delete": {
    access: "user",
    targets: BOTH,
    input: async ({ world, owner }) => ({ presetId: await world.presetOf(owner.id) }),
    expect: HIDDEN_FROM_OTHERS,
  },
};

/** What a role gets from a row on a target. */
export function expectedOutcome(row: MatrixRow, role: Role, target: Target): Outcome {
  const exception = row.expect?.[target]?.[role];
  if (exception) return exception;
  if (row.access === "public") return "allowed";
  if (role === "anonymous" || role === "deactivated") return "UNAUTHORIZED";
  if (row.access === "supervisor" && role === "user") return "FORBIDDEN";
  if (row.access === "admin" && role !== "admin") return "FORBIDDEN";
  return "allowed";
}

/**
 * Programs: an account's API key with some scopes. The rule, written here apart from the server's
 * api-key-scopes.ts: a key opens `auth.me` and, per scope, `sessions.*`, `feedback.*` and
 * `presets.*` (chat), `accounting.*` (accounting) and `admin.*` (admin); nothing else that needs a
 * signed-in caller (the rest of `auth.*` wants a password session). Within what it opens, a key
 * may do what its account's role may, with the same exceptions.
 */
export const KEY_CALLERS = {
  "user key (chat)": { role: "user", scopes: ["chat"] },
  "admin key (every scope)": { role: "admin", scopes: ["chat", "accounting", "admin"] },
} as const satisfies Record<string, { role: Role; scopes: readonly KeyScope[] }>;
export type KeyCaller = keyof typeof KEY_CALLERS;
type KeyScope = "chat" | "accounting" | "admin";

const KEY_SCOPE_BY_PREFIX: [prefix: string, scope: KeyScope][] = [
  ["sessions.", "chat"],
  ["feedback.", "chat"],
  ["presets.", "chat"],
  ["accounting.", "accounting"],
  ["admin.", "admin"],
];

export function expectedKeyOutcome(path: string, row: MatrixRow, caller: KeyCaller, target: Target): Outcome {
  const { role, scopes } = KEY_CALLERS[caller];
  if (row.access !== "public" && path !== "auth.me") {
    const scope = KEY_SCOPE_BY_PREFIX.find(([prefix]) => path.startsWith(prefix))?.[1];
    if (!scope || !(scopes as readonly KeyScope[]).includes(scope)) return "FORBIDDEN";
  }
  return expectedOutcome(row, role, target);
}
