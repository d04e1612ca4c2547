import type { AppRouter, inferRouterInputs, inferRouterOutputs } from "@parley/api";
import type { TRPCClient } from "@trpc/client";

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;

export type ChatConfig = RouterOutputs["sessions"]["config"];
export type ChatModel = ChatConfig["models"][number];
export type SessionSummary = RouterOutputs["sessions"]["list"]["items"][number];
export type SessionDetail = RouterOutputs["sessions"]["get"];
export type StoredMessage = SessionDetail["messages"][number];
export type ChatSettings = SessionDetail["settings"];
export type ChatPreset = RouterOutputs["presets"]["list"][number];
export type StoredToolCall = StoredMessage["toolCalls"][number];
export type Balance = RouterOutputs["accounting"]["balance"];
export type ModelPrice = RouterOutputs["accounting"]["models"][number];
export type LedgerEntry = RouterOutputs["accounting"]["history"]["items"][number];
export type LedgerEntryType = NonNullable<RouterInputs["accounting"]["history"]["type"]>;
/** A row of the grouped ledger: an answer's entries together, or one movement. */
export type LedgerRow = RouterOutputs["accounting"]["groupedHistory"]["items"][number];
export type UsageStats = RouterOutputs["accounting"]["usage"]["stats"];

/** The callbacks of a turn's subscription (`sessions.stream` or `sessions.sendAndStream`). */
export type StreamObserver = NonNullable<
  Parameters<TRPCClient<AppRouter>["sessions"]["stream"]["subscribe"]>[1]
>;
/** What `sessions.stream` delivers: a tracked envelope `{ id, data }`. */
export type StreamEnvelope = Parameters<NonNullable<StreamObserver["onData"]>>[0];
export type ChatEvent = StreamEnvelope["data"];
