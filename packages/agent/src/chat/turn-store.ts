import type { Balance } from "@parley/accounting";
import { callLedger } from "@parley/accounting";
import type { EntityManager, StoredToolCall, TurnStatus } from "@parley/db";
import { toDate, toNullableDate } from "@parley/db";
import type { HistoryMessage } from "../history.ts";

// The chat turn's SQL: parley_start_turn and parley_finish_turn (see the chat_turns migration) do
// the work of a turn's start and end in one round trip each; checkpoints of every turn a process
// runs go out as one statement.

export interface StartTurnInput {
  turnId: string;
  userId: string;
  sessionId: string | null;
  content: string;
  modelId: string;
  clientRequestId: string | null;
  owner: string;
  maxRunning: number;
  /** Estimated tokens of the system prompt and the new message. */
  fixedTokens: number;
  /** Tokens of history that fit next to them and the answer. */
  historyBudget: number;
  maxOutputTokens: number;
  ttlSeconds: number;
  defaultTitle: string;
  title: string;
}

export type StartedTurn =
  | { existing: true; turnId: string; userMessageId: string | null }
  | {
      existing: false;
      turnId: string;
      userMessageId: string | null;
      history: HistoryMessage[];
      held: number;
      /** The price the reservation copied (what this turn costs per 1,000 tokens). */
      price: { inputPer1k: number; outputPer1k: number };
      promptEstimate: number;
      title: string | null;
    };

export async function startTurn(em: EntityManager, input: StartTurnInput): Promise<StartedTurn> {
  const [row] = await callLedger<{ parley_start_turn: StartedTurn }>(em, "parley_start_turn", [
    input.turnId,
    input.userId,
    input.sessionId,
    input.content,
    input.modelId,
    input.clientRequestId,
    input.owner,
    input.maxRunning,
    input.fixedTokens,
    input.historyBudget,
    input.maxOutputTokens,
    input.ttlSeconds,
    input.defaultTitle,
    input.title,
  ]);
  if (!row) throw new Error("parley_start_turn returned no row");
  return row.parley_start_turn;
}

export interface TurnProgress {
  turnId: string;
  inputTokens: number;
  outputTokens: number;
  partial: string;
  toolCalls: StoredToolCall[];
}

/**
 * One statement for every turn the process runs: heartbeat, checkpointed progress, and the
 * reservations' expiry pushed forward (a running turn's hold never expires under it).
 */
export async function checkpointTurns(
  em: EntityManager,
  owner: string,
  ttlSeconds: number,
  turns: TurnProgress[],
): Promise<void> {
  if (turns.length === 0) return;
  const rows = turns.map((t) => ({
    id: t.turnId,
    i: t.inputTokens,
    o: t.outputTokens,
    p: stripNul(t.partial),
    t: t.toolCalls,
  }));
  await em.execute(
    `with beat as (
       update chat_turns c
          set heartbeat_at = now(), input_tokens = v.i, output_tokens = v.o, partial = v.p, tool_calls = v.t
         from jsonb_to_recordset(?::jsonb) as v(id uuid, i int, o int, p text, t jsonb)
        where c.id = v.id and c.status = 'running' and c.owner = ?
       returning c.id)
     update reservations r set expires_at = now() + make_interval(secs => ?)
       from beat where r.id = beat.id and r.status = 'open'`,
    [JSON.stringify(rows), owner, ttlSeconds],
  );
}

export interface FinishTurnInput {
  turnId: string;
  /** The owning process; null to recover a turn whose heartbeat is older than `staleSeconds`. */
  owner: string | null;
  staleSeconds: number;
  status: Exclude<TurnStatus, "running">;
  settle: "finalized" | "aborted";
  /** Null (recovery): the checkpointed figures and text. */
  progress: Omit<TurnProgress, "turnId"> | null;
  messageStatus: "complete" | "incomplete" | "failed";
  errorCode: string | null;
  error: string | null;
}

export interface FinishedTurn {
  messageId: string | null;
  userId: string;
  sessionId: string | null;
  content: string;
  inputTokens: number;
  outputTokens: number;
  creditsCharged: number;
  /** What the reservation had held. */
  held: number;
  /** Set when the reservation had already been settled another way (an alert: see the caller). */
  unexpectedSettlement: string | null;
  balance: Balance;
}

/** Ends a running turn exactly once; null when it was not running (or not ours, or not stale). */
export async function finishTurn(em: EntityManager, input: FinishTurnInput): Promise<FinishedTurn | null> {
  const p = input.progress;
  const [row] = await callLedger<{ parley_finish_turn: RawFinish }>(em, "parley_finish_turn", [
    input.turnId,
    input.owner,
    input.staleSeconds,
    input.status,
    input.settle,
    p?.inputTokens ?? null,
    p?.outputTokens ?? null,
    p ? stripNul(p.partial) : null,
    input.messageStatus,
    p ? JSON.stringify(p.toolCalls) : null,
    input.errorCode,
    input.error,
  ]);
  const raw = row?.parley_finish_turn;
  if (!raw?.finished) return null;
  const balance = Number(raw.balance ?? 0);
  const held = Number(raw.accountHeld ?? 0);
  return {
    messageId: raw.messageId,
    userId: raw.userId,
    sessionId: raw.sessionId,
    content: raw.content,
    inputTokens: raw.inputTokens,
    outputTokens: raw.outputTokens,
    creditsCharged: Number(raw.creditsCharged),
    held: Number(raw.held),
    unexpectedSettlement: raw.unexpectedSettlement,
    balance: {
      balance,
      held,
      available: Math.max(0, balance - held),
      nextExpiryAt: toNullableDate(raw.nextExpiryAt),
    },
  };
}

/** parley_finish_turn's JSON: bigints may arrive as strings, the account's totals alongside. */
interface RawFinish extends Omit<FinishedTurn, "creditsCharged" | "held" | "balance"> {
  finished: boolean;
  creditsCharged: number | string;
  held: number | string | null;
  balance: number | string | null;
  accountHeld: number | string | null;
  nextExpiryAt: string | null;
}

/** Running turns whose owner has not beaten for `staleSeconds`: their process is gone. */
export async function staleTurnIds(em: EntityManager, staleSeconds: number, limit = 50): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from chat_turns
      where status = 'running' and heartbeat_at < now() - make_interval(secs => ?)
      order by heartbeat_at limit ?`,
    [staleSeconds, limit],
  );
  return rows.map((r) => r.id);
}

export interface TurnRecord {
  id: string;
  userId: string;
  sessionId: string | null;
  modelId: string;
  status: TurnStatus;
  partial: string;
  errorCode: string | null;
  assistantMessageId: string | null;
  credits: number;
  createdAt: Date;
}

export async function findTurn(em: EntityManager, turnId: string): Promise<TurnRecord | null> {
  const [row] = await em.execute<RawTurn[]>(
    `select id, user_id, session_id, model_id, status, partial, error_code, assistant_message_id, credits, created_at
       from chat_turns where id = ?`,
    [turnId],
  );
  return row ? toRecord(row) : null;
}

/** The user's running turns, newest first (the SPA re-attaches to them after a reload). */
export async function runningTurns(em: EntityManager, userId: string): Promise<TurnRecord[]> {
  const rows = await em.execute<RawTurn[]>(
    `select id, user_id, session_id, model_id, status, '' as partial, error_code, assistant_message_id, credits,
            created_at
       from chat_turns where user_id = ? and status = 'running' order by created_at desc`,
    [userId],
  );
  return rows.map(toRecord);
}

interface RawTurn {
  id: string;
  user_id: string;
  session_id: string | null;
  model_id: string;
  status: TurnStatus;
  partial: string;
  error_code: string | null;
  assistant_message_id: string | null;
  credits: string | null;
  created_at: Date | string;
}

function toRecord(r: RawTurn): TurnRecord {
  return {
    id: r.id,
    userId: r.user_id,
    sessionId: r.session_id,
    modelId: r.model_id,
    status: r.status,
    partial: r.partial,
    errorCode: r.error_code,
    assistantMessageId: r.assistant_message_id,
    credits: Number(r.credits ?? 0),
    createdAt: toDate(r.created_at),
  };
}

/** PostgreSQL text cannot hold NUL; a model that emits one loses only that character. */
const stripNul = (text: string) => text.replaceAll("\u0000", "");
