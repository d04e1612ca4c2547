// Every procedure of the router, and one way to call any of them over real HTTP (queries by GET,
// mutations by POST, subscriptions as server-sent events), for tests that walk the whole API.
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
  const payload = input === undefined ? undefined : JSON.stringify({ json: input });
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
  return firstSubscriptionEvent(`${url}${query}`, headers);
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

/** Reads server-sent events up to the first one that is not the connection greeting. */
async function firstSubscriptionEvent(url: string, headers: Record<string, string>): Promise<CallResult> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { ...headers, accept: "text/event-stream" },
    signal: controller.signal,
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
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
        const data = /^data: (.*)$/m.exec(block)?.[1];
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
