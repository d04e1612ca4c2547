import { type ApiServices, appRouter, createCallerFactory } from "@parley/api";
import { DomainError } from "@parley/core";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { Hono, Context as HonoContext } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";
import { apiContext } from "../http/api-context.ts";
import type { AppEnv } from "../http/env.ts";
import type { OriginPolicy } from "../http/request-info.ts";
import { procedureAt, REST_ROUTES, type RestRoute } from "./routes.ts";

const createCaller = createCallerFactory(appRouter);
type Caller = ReturnType<typeof createCaller>;
type Procedure = (input: unknown) => Promise<unknown>;

const MAX_BODY_BYTES = 1024 * 1024;

export interface RestApiOptions {
  services: ApiServices;
  originPolicy: OriginPolicy;
}

/** The JSON error body of every REST failure. */
export interface RestError {
  error: { code: string; message: string; detail?: unknown; issues?: unknown };
}

/**
 * Serves the original accounting service's REST paths (plain JSON, no superjson) by calling the
 * same tRPC procedures the typed client calls, in a context built exactly as for /trpc: sessions
 * (cookie or bearer), external JWTs and whatever else the context resolves.
 */
export function mountRestApi(app: Hono<AppEnv>, options: RestApiOptions): void {
  // Only these paths: other /api routes (uploads, say) set their own limits.
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    // The rest of the oversized body is never read, so the connection cannot be reused.
    onError: (c) =>
      c.json(errorBody("PAYLOAD_TOO_LARGE", "Request body too large."), 413, { Connection: "close" }),
  });
  for (const route of REST_ROUTES) {
    if (!procedureAt(route.procedure)) {
      throw new Error(`REST route ${route.path} names an unknown procedure ${route.procedure}`);
    }
    app.on(route.method.toUpperCase(), route.path, limit, (c) => handle(c, route, options));
  }
  app.get("/api/health", (c) =>
    c.json({ status: "ok", service: "parley", timestamp: new Date().toISOString() }),
  );
}

async function handle(c: HonoContext<AppEnv>, route: RestRoute, options: RestApiOptions): Promise<Response> {
  const resHeaders = new Headers();
  const respond = (body: unknown, status: ContentfulStatusCode) => {
    const response = c.json(body ?? { ok: true }, status);
    resHeaders.forEach((value, name) => {
      response.headers.append(name, value);
    });
    return response;
  };

  const body = route.method === "get" ? undefined : await readJson(c);
  if (body instanceof SyntaxError) {
    return respond(errorBody("BAD_REQUEST", `Malformed JSON body: ${body.message}`), 400);
  }
  try {
    const ctx = await apiContext(c, options.services, options.originPolicy, resHeaders);
    const input = route.input({ params: c.req.param(), query: c.req.query(), body });
    const result = await callerProcedure(createCaller(ctx), route.procedure)(input);
    return respond(result, 200);
  } catch (error) {
    const trpcError =
      error instanceof TRPCError ? error : new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: error });
    if (trpcError.code === "INTERNAL_SERVER_ERROR") {
      c.get("log").error({ err: trpcError.cause ?? trpcError, path: route.path }, "REST request failed");
    }
    return respond(toRestError(trpcError), getHTTPStatusCodeFromError(trpcError) as ContentfulStatusCode);
  }
}

/** The request body as JSON; an empty body is no input; bad JSON comes back as the SyntaxError. */
async function readJson(c: HonoContext<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return error instanceof SyntaxError ? error : new SyntaxError(String(error));
  }
}

/** The caller's function for a dotted procedure path (checked against the router at mount). */
function callerProcedure(caller: Caller, path: string): Procedure {
  let node: unknown = caller;
  for (const key of path.split(".")) node = (node as Record<string, unknown>)[key];
  return node as Procedure;
}

function errorBody(
  code: string,
  message: string,
  extra: Omit<RestError["error"], "code" | "message"> = {},
): RestError {
  return { error: { code, message, ...extra } };
}

function toRestError(error: TRPCError): RestError {
  const cause = error.cause;
  if (cause instanceof ZodError) {
    const message = cause.issues
      .map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`)
      .join("; ");
    return errorBody("BAD_REQUEST", message, { issues: cause.issues });
  }
  if (error.code === "INTERNAL_SERVER_ERROR") {
    return errorBody(error.code, "Something went wrong on our side. Please try again.");
  }
  return errorBody(error.code, error.message, cause instanceof DomainError ? { detail: cause.detail } : {});
}
