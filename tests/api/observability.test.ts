// Tracing and metrics, seen from outside: a real server process exports its spans over OTLP/HTTP
// to a receiver in this test (the span tree of one chat turn is asserted, and its log lines carry
// the trace id), and /metrics is scraped before and after a chat turn.
import { fakeText } from "@parley/agent/fake-bedrock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { streamTurn, textOf } from "../support/chat.ts";
import { ancestorsOf, descendantsOf, type ReceivedSpan, startOtlpReceiver } from "../support/otlp.ts";
import { type Cluster, freePort, startCluster } from "../support/processes.ts";

const METRICS_TOKEN = "metrics-token-for-the-test";
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let cluster: Cluster;
let metricsPort: number;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  metricsPort = await freePort();
  cluster = await startCluster({
    processes: 1,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: "200",
      LOG_LEVEL: "info",
      METRICS_TOKEN,
    },
  });
});
afterAll(async () => {
  await cluster?.close();
  await receiver?.close();
});

async function chatter() {
  const view = cluster.view(0);
  const { user } = await fundedUser(view, 1_000_000);
  const session = await user.client.sessions.create.mutate({});
  return { ...user, session };
}

const named = (spans: ReceivedSpan[], name: string) => spans.filter((s) => s.name === name);

describe("tracing", () => {
  it("one chat turn: HTTP → tRPC → chat.turn → graph nodes, the LLM call with OpenInference attributes, the ledger", async () => {
    const { client, session } = await chatter();
    const { turnId } = await client.sessions.send.mutate({
      sessionId: session.id,
      content: "trace me [[fake tokens=7]]",
    });
    const events = await streamTurn(client, turnId).finished;
    expect(textOf(events)).toBe(fakeText(7));

    const turnSpan = await expect
      .poll(
        () => receiver.spans.find((s) => s.name === "chat.turn" && s.attributes["parley.turn.id"] === turnId),
        {
          timeout: 15_000,
        },
      )
      .toBeDefined()
      .then(() => receiver.spans.find((s) => s.attributes["parley.turn.id"] === turnId) as ReceivedSpan);
    // Its LLM spans (Parley's and OpenInference's) arrive with it or just after (spans are exported as they end).
    const llmSpansBelow = () =>
      descendantsOf(receiver.spans, turnSpan).filter(
        (s) => s.attributes["openinference.span.kind"] === "LLM",
      );
    await expect.poll(() => llmSpansBelow().length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const spans = receiver.spans.filter((s) => s.traceId === turnSpan.traceId);

    // Above the turn: the tRPC procedure that started it, inside the HTTP request's span.
    const above = ancestorsOf(spans, turnSpan).map((s) => s.name);
    expect(above[0]).toBe("trpc sessions.send");
    expect(above.some((name) => /POST/.test(name))).toBe(true);
    const send = named(spans, "trpc sessions.send")[0] as ReceivedSpan;
    expect(descendantsOf(spans, send).map((s) => s.name)).toContain("ledger parley_start_turn");

    // Below it: the graph, its model node, the Bedrock call, and the ledger call that settles it.
    const below = descendantsOf(spans, turnSpan);
    // The Bedrock call: Parley's span with the model, tokens and cost in credits, and beside it
    // OpenInference's LangChain span with the messages (parented by LangChain's run tree).
    const bedrock = named(below, "bedrock.converse")[0] as ReceivedSpan;
    expect(bedrock.attributes).toMatchObject({
      "openinference.span.kind": "LLM",
      "llm.model_name": "anthropic.claude-3-5-haiku-20241022-v1:0",
      "llm.token_count.completion": 7,
      "parley.cost.unit": "credits",
    });
    expect(Number(bedrock.attributes["llm.token_count.prompt"])).toBeGreaterThan(0);
    expect(Number(bedrock.attributes["llm.cost.total"])).toBeGreaterThan(0);
    const langchain = below.find((s) => s.attributes["openinference.span.kind"] === "LLM" && s !== bedrock);
    expect(langchain?.attributes["llm.output_messages.0.message.content"]).toBe(fakeText(7));
    expect(below.some((s) => s.name === "model")).toBe(true); // the graph's node
    expect(below.map((s) => s.name)).toContain("ledger parley_finish_turn");
    expect(turnSpan.attributes["llm.token_count.completion"]).toBe(7);
    expect(Number(turnSpan.attributes["parley.credits.charged"])).toBeGreaterThan(0);

    // The turn's log line carries the trace and span ids.
    const line = cluster.servers[0]
      ?.output()
      .split("\n")
      .find((l) => l.includes('"chat turn complete"') && l.includes(turnId));
    expect(line).toBeDefined();
    const logged = JSON.parse(line ?? "{}") as { trace_id?: string; span_id?: string };
    expect(logged.trace_id).toBe(turnSpan.traceId);
    expect(logged.span_id).toBe(turnSpan.spanId);
  }, 60_000);
});

describe("metrics", () => {
  it("/metrics needs the token, then shows requests, tokens, TTFT, credits, Bedrock attempts, streams and the pool", async () => {
    const url = `${cluster.servers[0]?.url}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: "Bearer wrong-token-wrong-token" } })).status).toBe(
      401,
    );

    const { client, session } = await chatter();
    const { turnId } = await client.sessions.send.mutate({
      sessionId: session.id,
      content: "count me [[fake tokens=9]]",
    });
    await streamTurn(client, turnId).finished;

    const response = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await response.text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
    expect(
      value(/parley_requests_total\{procedure="sessions\.send",type="mutation",code="OK"\} (\d+)/),
    ).toBeGreaterThanOrEqual(1);
    expect(value(/parley_tokens_total\{model="[^"]+",direction="output"\} (\d+)/)).toBeGreaterThanOrEqual(9);
    expect(value(/parley_ttft_seconds_count\{model="[^"]+"\} (\d+)/)).toBeGreaterThanOrEqual(1);
    expect(value(/parley_credits_total\{movement="reserved"\} (\d+)/)).toBeGreaterThan(0);
    expect(value(/parley_credits_total\{movement="charged"\} (\d+)/)).toBeGreaterThan(0);
    expect(value(/parley_credits_total\{movement="released"\} (\d+)/)).toBeGreaterThan(0);
    expect(
      value(/parley_bedrock_attempts_total\{operation="ConverseStreamCommand",outcome="ok"\} (\d+)/),
    ).toBeGreaterThanOrEqual(1);
    expect(value(/parley_open_streams (\d+)/)).toBe(0);
    expect(value(/parley_running_turns (\d+)/)).toBe(0);
    expect(text).toMatch(/parley_db_pool_connections\{state="idle"\} \d+/);
    expect(text).toMatch(/parley_http_requests_total\{method="POST",route="\/trpc\/\*",status="200"\} \d+/);
    expect(text).toMatch(/parley_process_cpu_seconds_total/);
  }, 60_000);

  it("on a separate port without a token; off on the main port when neither is set", async () => {
    const own = await startCluster({ processes: 1, env: { METRICS_PORT: String(metricsPort) } });
    try {
      const separate = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(separate.status).toBe(200);
      expect(await separate.text()).toMatch(/parley_open_streams/);
      const main = await fetch(`${own.servers[0]?.url}/metrics`);
      expect(main.status).toBe(404);
      expect(main.headers.get("content-type")).toMatch(/json/);
    } finally {
      await own.close();
    }
  }, 60_000);
});
