import { appRouter } from "@parley/api";
import type { AnyTRPCProcedure } from "@trpc/server";

/**
 * The REST paths of the original accounting service, each mapped onto the tRPC procedure that
 * does the work. Roles, validation and errors are the procedure's: this table only says where the
 * procedure's input comes from in the HTTP request.
 */
export type RestMethod = "get" | "post" | "put" | "delete";

export interface RestRequestParts {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

export interface RestRoute {
  method: RestMethod;
  /** Hono path pattern, e.g. `/api/credits/balance/:userId`. */
  path: string;
  /** Dotted tRPC procedure path. */
  procedure: string;
  summary: string;
  /** Who may call it (the procedure enforces it; this is for the documentation). */
  role: "anyone" | "user" | "supervisor" | "admin";
  /** Query parameters read (GET routes). */
  query?: readonly string[];
  input(parts: RestRequestParts): unknown;
}

/** Query strings are text; the procedures take numbers. Unparseable text is left for zod to refuse. */
const NUMERIC_QUERY = new Set(["limit", "topUsers"]);

function pick(query: Record<string, string>, names: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names) {
    const value = query[name];
    if (value === undefined) continue;
    picked[name] = NUMERIC_QUERY.has(name) && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return picked;
}

const body = ({ body }: RestRequestParts) => body;
const nothing = () => undefined;
const period = ["from", "to"] as const;

export const REST_ROUTES: readonly RestRoute[] = [
  {
    method: "get",
    path: "/api/credits/balance",
    procedure: "accounting.balance",
    summary: "The caller's balance",
    role: "user",
    input: nothing,
  },
  {
    method: "get",
    path: "/api/credits/balance/:userId",
    procedure: "admin.credits.balanceOf",
    summary: "A user's balance, by id or (URL-encoded) email",
    role: "supervisor",
    input: ({ params }) =>
      params.userId?.includes("@") ? { email: params.userId } : { userId: params.userId },
  },
  {
    method: "post",
    path: "/api/credits/check",
    procedure: "accounting.check",
    summary: "Whether the caller has `requiredCredits` available",
    role: "user",
    input: body,
  },
  {
    method: "post",
    path: "/api/credits/calculate",
    procedure: "accounting.calculate",
    summary: "The cost in credits of a call on a model",
    role: "user",
    input: body,
  },
  {
    method: "post",
    path: "/api/credits/allocate",
    procedure: "admin.credits.allocate",
    summary: "Grant credits to a user",
    role: "supervisor",
    input: body,
  },
  {
    method: "post",
    path: "/api/credits/set",
    procedure: "admin.credits.set",
    summary: "Set a user's balance",
    role: "supervisor",
    input: body,
  },
  {
    method: "delete",
    path: "/api/credits/remove",
    procedure: "admin.credits.remove",
    summary: "Take credits from a user",
    role: "supervisor",
    input: body,
  },
  {
    method: "put",
    path: "/api/credits/adjust",
    procedure: "admin.credits.adjust",
    summary: "Add or take credits (signed adjustment)",
    role: "supervisor",
    input: body,
  },
  {
    method: "post",
    path: "/api/streaming-sessions/initialize",
    procedure: "accounting.streaming.initialize",
    summary: "Hold the estimated cost of a model call (a reservation)",
    role: "user",
    input: body,
  },
  {
    method: "post",
    path: "/api/streaming-sessions/finalize",
    procedure: "accounting.streaming.finalize",
    summary: "Charge the actual tokens of a reservation and release the rest",
    role: "user",
    input: body,
  },
  {
    method: "post",
    path: "/api/streaming-sessions/abort",
    procedure: "accounting.streaming.abort",
    summary: "Charge what an interrupted call produced and release the rest",
    role: "user",
    input: body,
  },
  {
    method: "get",
    path: "/api/streaming-sessions/active",
    procedure: "accounting.streaming.active",
    summary: "The caller's open reservations",
    role: "user",
    input: nothing,
  },
  {
    method: "get",
    path: "/api/streaming-sessions/active/all",
    procedure: "admin.streaming.active",
    summary: "Every user's open reservations",
    role: "admin",
    input: () => ({}),
  },
  {
    method: "get",
    path: "/api/streaming-sessions/active/:userId",
    procedure: "admin.streaming.active",
    summary: "A user's open reservations",
    role: "supervisor",
    input: ({ params }) => ({ userId: params.userId }),
  },
  {
    method: "get",
    path: "/api/streaming-sessions/recent",
    procedure: "admin.streaming.recent",
    summary: "The most recent reservations of all users",
    role: "supervisor",
    query: ["limit"],
    input: ({ query }) => pick(query, ["limit"]),
  },
  {
    method: "get",
    path: "/api/streaming-sessions/recent/:userId",
    procedure: "admin.streaming.recent",
    summary: "A user's most recent reservations",
    role: "supervisor",
    query: ["limit"],
    input: ({ params, query }) => ({ userId: params.userId, ...pick(query, ["limit"]) }),
  },
  {
    method: "post",
    path: "/api/usage/record",
    procedure: "accounting.usage.record",
    summary: "Charge a one-off use of a service",
    role: "user",
    input: body,
  },
  {
    method: "get",
    path: "/api/usage/stats",
    procedure: "accounting.usage.stats",
    summary: "The caller's usage statistics",
    role: "user",
    query: period,
    input: ({ query }) => pick(query, period),
  },
  {
    method: "get",
    path: "/api/usage/stats/:userId",
    procedure: "admin.usage.statsOf",
    summary: "A user's usage statistics",
    role: "supervisor",
    query: period,
    input: ({ params, query }) => ({ userId: params.userId, ...pick(query, period) }),
  },
  {
    method: "get",
    path: "/api/usage/system-stats",
    procedure: "admin.usage.systemStats",
    summary: "Usage statistics of the whole system",
    role: "admin",
    query: [...period, "topUsers"],
    input: ({ query }) => pick(query, [...period, "topUsers"]),
  },
  {
    method: "get",
    path: "/api/shared/:shareId",
    procedure: "sessions.shared",
    summary: "A chat shared by its owner: read-only, no account needed",
    role: "anyone",
    input: ({ params }) => ({ shareId: params.shareId }),
  },
];

/**
 * A procedure by dotted path. tRPC keeps `_def.procedures` flat, keyed by dotted path, though its
 * type describes the nested router record.
 */
export function procedureAt(path: string): AnyTRPCProcedure | undefined {
  const procedures = appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure | undefined>;
  return procedures[path];
}
