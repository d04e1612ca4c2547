// Every procedure of the router, and one way to call any of them over real HTTP (queries by GET,
// mutations by POST, subscriptions as server-sent events: by GET, sendAndStream by POST), for
// tests that walk the whole API.
import { appRouter } from "@parley/api";
import type { z } from "zod";

export type ProcedureType = "query" | "mutation" | "subscription";

export interface ProcedureInfo {
  path: string;
  type: ProcedureType;
  /** The zod input schemas (none for procedures without input). */
  inputs: z.ZodType[];
}

interface ProcedureDef {
  _def: { type: ProcedureType; inputs: z.ZodType[] };
}

export function listProcedures(): ProcedureInfo[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
  return Object.entries(procedures)
    .map(([path, procedure]) => ({ path, type: procedure._def.type, inputs: procedure._def.inputs }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

export interface CallResult {
  status: number;
  /** The tRPC error code (UNAUTHORIZED, FORBIDDEN…), or null when the call succeeded. */
  code: string | null;
  body: string;
}

/**
 * Subscriptions that change state (`sessions.sendAndStream` sends a message): served only to a
 * POST carrying the input as its body, as `@parley/client` sends them; a GET is refused (405).
 */
export const POSTED_SUBSCRIPTIONS = new Set(["sessions.sendAndStream"]);

/** Refusals a subscription reports as its first chat event rather than as a tRPC error. */
const EVENT_REFUSALS = new Set(["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"]);

export interface CallOptions {
  token?: string | null | undefined;
  headers?: Record<string, string>;
}

/** Calls one procedure the way a client would; `input` undefined sends none. */
export async function callProcedure(
  baseUrl: string,
  procedure: { path: string; type: ProcedureType },
  input: unknown,
  options: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = {
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
  const payload = input === undefined ? undefined : JSON.stringify(toWire(input));
  const url = `${baseUrl}/trpc/${procedure.path}`;
  if (procedure.type === "mutation") {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: payload ?? "{}",
    });
    return resultOf(response);
  }
  const query = payload === undefined ? "" : `?input=${encodeURIComponent(payload)}`;
  if (procedure.type === "query") return resultOf(await fetch(`${url}${query}`, { headers }));
  if (POSTED_SUBSCRIPTIONS.has(procedure.path)) {
    return firstSubscriptionEvent(url, { ...headers, "content-type": "application/json" }, payload ?? "");
  }
  return firstSubscriptionEvent(`${url}${query}`, headers);
}

/** superjson's request body: the JSON, and what it cannot carry named by path in `meta`. */
export interface Wire {
  json: unknown;
  meta?: { values: Record<string, [string]> | [string] };
}

/**
 * An input as the real client (superjson) sends it, so tests can send what plain JSON cannot:
 * Dates (valid or not), -0, NaN and ±Infinity, each written as a string and named in `meta`.
 * Plain JSON input goes out unchanged, without `meta`. Written out rather than superjson.serialize:
 * that refuses a "__proto__" key, which a hostile client can send and the fuzz test must.
 */
export function toWire(input: unknown): Wire {
  const values: Record<string, [string]> = {};
  // superjson's path syntax: keys joined by ".", with "\" and "." inside a key escaped.
  const pathOf = (keys: string[]) =>
    keys.map((key) => key.replace(/\\/g, "\\\\").replace(/\./g, "\\.")).join(".");
  const walk = (value: unknown, keys: string[]): unknown => {
    const special = specialValue(value);
    if (special) {
      values[pathOf(keys)] = [special.type];
      return special.json;
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...keys, String(index)]));
    if (value !== null && typeof value === "object") {
      // fromEntries defines each key as data, so a "__proto__" key stays a key.
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, walk(item, [...keys, key])]),
      );
    }
    return value;
  };
  const json = walk(input, []);
  const root = values[""];
  if (root) return { json, meta: { values: root } };
  return Object.keys(values).length === 0 ? { json } : { json, meta: { values } };
}

/** What superjson writes for a value JSON cannot hold, or null for a plain JSON value. */
function specialValue(value: unknown): { json: string; type: string } | null {
  if (value instanceof Date) {
    // superjson revives "Invalid Date" as an invalid Date, as a hostile client could send it.
    return { json: Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString(), type: "Date" };
  }
  if (typeof value !== "number") return null;
  if (Number.isNaN(value)) return { json: "NaN", type: "number" };
  if (value === Number.POSITIVE_INFINITY) return { json: "Infinity", type: "number" };
  if (value === Number.NEGATIVE_INFINITY) return { json: "-Infinity", type: "number" };
  if (Object.is(value, -0)) return { json: "-0", type: "number" };
  return null;
}

async function resultOf(response: Response): Promise<CallResult> {
  const body = await response.text();
  if (response.ok) return { status: response.status, code: null, body };
  return { status: response.status, code: errorCodeIn(body), body };
}

function errorCodeIn(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as {
      error?: { json?: { data?: { code?: string } }; data?: { code?: string } };
    };
    return parsed.error?.json?.data?.code ?? parsed.error?.data?.code ?? "UNKNOWN";
  } catch {
    return "UNKNOWN";
  }
}

/** One server-sent event, from its block of lines (the text between two blank lines). */
export interface SseEvent {
  event: string;
  id: string | undefined;
  data: string | undefined;
}

export function sseEvent(block: string): SseEvent {
  return {
    event: /^event: (.*)$/m.exec(block)?.[1] ?? "message",
    id: /^id: (.*)$/m.exec(block)?.[1],
    data: /^data: (.*)$/m.exec(block)?.[1],
  };
}

/** Reads server-sent events up to the first one that is not the connection greeting. */
async function firstSubscriptionEvent(
  url: string,
  headers: Record<string, string>,
  body?: string,
): Promise<CallResult> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { ...headers, accept: "text/event-stream" },
    signal: controller.signal,
    ...(body === undefined ? {} : { method: "POST", body }),
  });
  if (!response.ok || !response.body) return resultOf(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { status: response.status, code: "STREAM_ENDED", body: buffer };
      buffer += value;
      for (const block of buffer.split("\n\n").slice(0, -1)) {
        const { event, data } = sseEvent(block);
        if (event === "connected" || event === "ping" || data === undefined) continue;
        if (event === "serialized-error") {
          const parsed = JSON.parse(data) as { json: { data: { code: string } } };
          return { status: response.status, code: parsed.json.data.code, body: block };
        }
        const chatEvent = (JSON.parse(data) as { json: { type?: string; code?: string } }).json;
        const refused = chatEvent.type === "error" && chatEvent.code && EVENT_REFUSALS.has(chatEvent.code);
        return { status: response.status, code: refused ? (chatEvent.code ?? null) : null, body: block };
      }
    }
  } finally {
    controller.abort();
  }
}
