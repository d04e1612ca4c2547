// Every Prometheus metric Parley exports, defined in one place (prom-client's default registry):
// domain packages record into them; the server serves the registry at /metrics. Recording costs
// a few map look-ups, so it is always on.
import { Counter, Gauge, Histogram, register } from "prom-client";

export const metricsRegistry = register;

export const metrics = {
  requests: new Counter({
    name: "parley_requests_total",
    help: "tRPC procedure calls by procedure, type and result code (OK or the error code).",
    labelNames: ["procedure", "type", "code"] as const,
  }),
  httpRequests: new Counter({
    name: "parley_http_requests_total",
    help: "HTTP requests by method, route pattern and status.",
    labelNames: ["method", "route", "status"] as const,
  }),
  openStreams: new Gauge({
    name: "parley_open_streams",
    help: "Answer streams (SSE) this process is serving right now.",
  }),
  runningTurns: new Gauge({
    name: "parley_running_turns",
    help: "Answers this process is writing right now.",
  }),
  tokens: new Counter({
    name: "parley_tokens_total",
    help: "Tokens of chat answers by model and direction (input, output); rate() gives tokens/s.",
    labelNames: ["model", "direction"] as const,
  }),
  ttft: new Histogram({
    name: "parley_ttft_seconds",
    help: "Time from an answer's start to its first token, by model.",
    labelNames: ["model"] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  }),
  credits: new Counter({
    name: "parley_credits_total",
    help: "Credits held by reservations (reserved), captured (charged) and given back (released).",
    labelNames: ["movement"] as const,
  }),
  sweeper: new Counter({
    name: "parley_sweeper_actions_total",
    help: "Housekeeping done: reservations released at their TTL, accounts whose grants expired, dead processes' answers recovered.",
    labelNames: ["action"] as const,
  }),
  bedrockAttempts: new Counter({
    name: "parley_bedrock_attempts_total",
    help: "Bedrock calls per attempt (retries included) by operation and outcome (ok, or the error's name).",
    labelNames: ["operation", "outcome"] as const,
  }),
  busLag: new Histogram({
    name: "parley_event_bus_lag_seconds",
    help: "From an answer event's publication to its delivery on another process (Redis bus).",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
  }),
};

/** Records a settlement's movement of credits: what was charged and what the hold gave back. */
export function recordSettlement(charged: number, released: number): void {
  if (charged > 0) metrics.credits.inc({ movement: "charged" }, charged);
  if (released > 0) metrics.credits.inc({ movement: "released" }, released);
}
