import { DomainError, inSpan, metrics } from "@parley/core";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { apiKeyMayCall, scopeForProcedure } from "./api-key-scopes.ts";
import type { Context } from "./context.ts";

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  // Stack traces never leave the server, whatever NODE_ENV says.
  isDev: false,
  // Keep-alive comments on idle SSE streams (proxies close silent connections); clients reconnect
  // (with their last event id) when they hear nothing for twice that long.
  sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 20_000 } },
  errorFormatter({ shape, error }) {
    // Malformed JSON is a bad request like any other; clients need not know a separate code.
    const parseError = error.code === "PARSE_ERROR";
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      message: zodError
        ? zodError.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; ")
        : parseError
          ? `Malformed request: ${shape.message}`
          : error.code === "INTERNAL_SERVER_ERROR"
            ? // The cause is logged with the request id; its text (SQL, stack) stays on the server.
              "Something went wrong on our side. Please try again."
            : shape.message,
      code: parseError ? -32600 : shape.code,
      data: {
        ...shape.data,
        code: parseError ? ("BAD_REQUEST" as const) : shape.data.code,
        // Field-level problems from zod, so forms can show them next to the input.
        zodIssues: zodError?.issues ?? null,
        // Structured detail from the domain (which field clashed, when to retry, what is available).
        detail: error.cause instanceof DomainError ? error.cause.detail : null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/**
 * What every procedure call goes through, as one middleware: tRPC copies a call's options at each
 * middleware, which on the hottest reads cost more than the procedure itself.
 *
 * - A span (`trpc <path>`) and a count by result code: what operators see of the API in traces
 *   and in /metrics.
 * - CSRF guard: anything that changes state (mutations, and subscriptions that spend credits) is
 *   refused when a browser sends it from a foreign origin with cookie credentials. Programs using
 *   a bearer token are unaffected: browsers never attach that header on their own.
 * - Domain refusals become tRPC errors with the same code, keeping the detail.
 */
const procedureCall = t.middleware(async ({ ctx, path, type, next }) => {
  const outcome = await inSpan(
    `trpc ${path}`,
    { "rpc.system.name": "trpc", "rpc.method": path, "parley.trpc.type": type },
    async (span) => {
      const answer =
        type !== "query" && ctx.request.foreignOrigin && !ctx.request.bearerToken
          ? new TRPCError({ code: "FORBIDDEN", message: "Cross-origin request refused." })
          : await next();
      const error = answer instanceof TRPCError ? answer : answer.ok ? null : answer.error;
      const code = !error ? "OK" : error.cause instanceof DomainError ? error.cause.code : error.code;
      metrics.requests.inc({ procedure: path, type, code });
      span.setAttribute("parley.trpc.code", code);
      return answer;
    },
  );
  // Thrown once the span has ended: a refusal is the call's answer, not a failure the span records.
  if (outcome instanceof TRPCError) throw outcome;
  if (!outcome.ok && outcome.error.cause instanceof DomainError) {
    const cause = outcome.error.cause;
    if (cause.detail.retryAfterSeconds)
      ctx.resHeaders.set("Retry-After", String(cause.detail.retryAfterSeconds));
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return outcome;
});

export const publicProcedure = t.procedure.use(procedureCall);

/** A signed-in user (session or API key); an API key must have the procedure's scope (api-key-scopes.ts). */
export const protectedProcedure = publicProcedure.use(({ ctx, path, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  if (ctx.apiKey && !apiKeyMayCall(ctx.apiKey.scopes, path)) {
    const scope = scopeForProcedure(path);
    throw new TRPCError({
      code: "FORBIDDEN",
      message: scope
        ? `This API key lacks the "${scope}" scope.`
        : "API keys cannot do this; sign in with a password.",
    });
  }
  return next({ ctx: { user: ctx.user } });
});

/** A signed-in session, not an API key: signing out, changing the password or profile, managing keys. */
export const sessionProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "FORBIDDEN", message: "This needs a signed-in session." });
  return next({ ctx: { session: ctx.session } });
});

export const supervisorProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "supervisor" && ctx.user.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Supervisors and admins only." });
  }
  return next();
});

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Admins only." });
  return next();
});
