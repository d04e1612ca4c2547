import type { ChatEvent } from "@parley/agent";
import { type FakeBedrock, startFakeBedrock } from "@parley/agent/fake-bedrock";
import type { ParleyClient } from "@parley/client";
import { startTestServer, type TestServer, type TestServerOptions } from "./server.ts";

export interface ReceivedEvent {
  id: string;
  event: ChatEvent;
}

export interface StreamHandle {
  turnId: string;
  events: ReceivedEvent[];
  /** Resolves when the stream ends (done/error event or completion), with every event received. */
  finished: Promise<ReceivedEvent[]>;
  /** Resolves once `predicate` holds for the events received so far. */
  until(predicate: (events: ReceivedEvent[]) => boolean): Promise<ReceivedEvent[]>;
  /** Drops the connection (as a closed browser tab would). */
  disconnect(): void;
  text(): string;
}

/** Follows a turn with `sessions.stream`, recording the tracked events as they arrive. */
export function streamTurn(client: ParleyClient, turnId: string, lastEventId?: string | null): StreamHandle {
  const events: ReceivedEvent[] = [];
  const waiters: (() => void)[] = [];
  let resolveFinished: (events: ReceivedEvent[]) => void = () => {};
  let rejectFinished: (error: unknown) => void = () => {};
  const finished = new Promise<ReceivedEvent[]>((resolve, reject) => {
    resolveFinished = resolve;
    rejectFinished = reject;
  });
  finished.catch(() => {}); // observed through `finished` / `until` by the tests that care
  const notify = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  const subscription = client.sessions.stream.subscribe(
    { turnId, ...(lastEventId ? { lastEventId } : {}) },
    {
      onData(envelope) {
        events.push({ id: envelope.id, event: envelope.data });
        notify();
        if (envelope.data.type === "done" || envelope.data.type === "error") {
          subscription.unsubscribe();
          resolveFinished(events);
        }
      },
      onError(error) {
        rejectFinished(error);
        notify();
      },
      onComplete() {
        resolveFinished(events);
      },
    },
  );
  return {
    turnId,
    events,
    finished,
    until(predicate) {
      return new Promise((resolve, reject) => {
        const check = () => (predicate(events) ? resolve(events) : waiters.push(check));
        finished.catch(reject);
        check();
      });
    },
    disconnect() {
      subscription.unsubscribe();
    },
    text() {
      return events.map((e) => (e.event.type === "token" ? e.event.text : "")).join("");
    },
  };
}

type SendInput = Parameters<ParleyClient["sessions"]["send"]["mutate"]>[0];

/** `sessions.send`, then `sessions.stream` of the turn it started. */
export async function sendMessage(
  client: ParleyClient,
  input: SendInput,
): Promise<StreamHandle & { userMessageId: string | null }> {
  const { turnId, userMessageId } = await client.sessions.send.mutate(input);
  return { ...streamTurn(client, turnId), userMessageId };
}

/** Sends and waits for the whole answer: every event of the turn. */
export async function converse(client: ParleyClient, input: SendInput): Promise<ReceivedEvent[]> {
  return (await sendMessage(client, input)).finished;
}

export const eventsOfType = <T extends ChatEvent["type"]>(events: ReceivedEvent[], type: T) =>
  events.map((e) => e.event).filter((e): e is Extract<ChatEvent, { type: T }> => e.type === type);

export const textOf = (events: ReceivedEvent[]) =>
  events.map((e) => (e.event.type === "token" ? e.event.text : "")).join("");

/**
 * The real server talking to a fresh fake Bedrock (through the real SDK): what every chat test
 * needs. Tokens are not coalesced, so tests see them one by one.
 */
export async function startChatTestServer(
  env: Record<string, string> = {},
  options: Omit<TestServerOptions, "env"> = {},
): Promise<{
  server: TestServer;
  fake: FakeBedrock;
  close(): Promise<void>;
}> {
  const fake = await startFakeBedrock();
  // The SDK's default credential chain reads these; the fake accepts any.
  process.env.AWS_ACCESS_KEY_ID = "test";
  process.env.AWS_SECRET_ACCESS_KEY = "test";
  const server = await startTestServer({
    ...options,
    env: { BEDROCK_ENDPOINT: fake.url, DEMO_MODE: "false", STREAM_COALESCE_MS: "0", ...env },
  });
  return {
    server,
    fake,
    async close() {
      await server.close();
      await fake.close();
    },
  };
}
