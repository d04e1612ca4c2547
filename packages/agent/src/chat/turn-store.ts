import type { Balance, Price } from "@parley/accounting";
import { callLedger } from "@parley/accounting";
import type { EntityManager, SideConnection, StoredToolCall, TurnStatus } from "@parley/db";
import { type PreparedStatement, queryPrepared, toDate, toNullableDate } from "@parley/db";
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
  /** Create the chat (titled `title`) with this first message; nothing is created if it is refused. */
  newSession: boolean;
  /** A new version of this (user) message: the new question is stored as its sibling. */
  editOf: string | null;
  /** Answer again the question of this message (an answer: its question; a question: itself). */
  regenerateOf: string | null;
  /** The fewest output tokens worth holding when the balance cannot cover `maxOutputTokens`. */
  minOutputTokens: number;
  /** Uploads to link to the user's message (checked again, and linked, in the same call). */
  attachmentIds: string[];
}

export type StartedTurn =
  | { existing: true; turnId: string; userMessageId: string | null; sessionId: string | null }
  | {
      existing: false;
      turnId: string;
      userMessageId: string | null;
      sessionId: string | null;
      /** Each with the ids of its attachments (null: none). */
      history: (HistoryMessage & { attachmentIds: string[] | null })[];
      held: number;
      /**
       * Set when the balance could not hold the answer's full length: the output tokens held (and
       * `settings.maxTokens`, what the model may write). Null: the full length was held.
       */
      outputCap: number | null;
      /** The price the reservation copied (per 1,000 tokens; the prompt cache's per million). */
      price: Required<Price>;
      promptEstimate: number;
      title: string | null;
      /** The chat's settings (nulls: none, or no chat); maxTokens is the turn's, the smaller one. */
      settings: { systemPrompt: string | null; temperature: number | null; maxTokens: number };
    };

export async function startTurn(em: EntityManager, input: StartTurnInput): Promise<StartedTurn> {
  const [row] = await callLedger<{ parley_start_turn: StartedTurn }>(
    em,
    "parley_start_turn",
    [
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
      input.newSession,
      input.editOf,
      input.regenerateOf,
      input.minOutputTokens,
      // A PostgreSQL array literal: the driver would spread a JS array into separate parameters.
      input.attachmentIds.length > 0 ? `{${input.attachmentIds.join(",")}}` : null,
    ],
    { account: input.userId },
  );
  if (!row) throw new Error("parley_start_turn returned no row");
  return row.parley_start_turn;
}

export interface TurnProgress {
  turnId: string;
  /** Plain input: what was neither read from nor written to the prompt cache. */
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  partial: string;
  toolCalls: StoredToolCall[];
}

/**
 * The owning process's heartbeat: one row per process, however many turns it runs, on a
 * connection of its own (see TurnKeeper), so it keeps its pace when all else is slow.
 */
export async function beatOwner(connection: SideConnection, owner: string): Promise<void> {
  await connection.execute(
    `insert into chat_turn_owners (owner, heartbeat_at) values ($1, now())
       on conflict (owner) do update set heartbeat_at = excluded.heartbeat_at`,
    [owner],
  );
}

/**
 * A process that stops cleanly takes its row away, and recovery clears the rows of processes
 * that died once none of their turns is left running.
 */
export async function forgetOwners(
  em: EntityManager,
  owner: string | null,
  staleSeconds: number,
): Promise<void> {
  await em.execute(
    `delete from chat_turn_owners o
      where (o.owner = ? or o.heartbeat_at < now() - make_interval(secs => ?))
        and not exists (select 1 from chat_turns t where t.owner = o.owner and t.status = 'running')`,
    [owner, staleSeconds * 10],
  );
}

/**
 * One statement for every turn the process runs: checkpointed progress, and the
 * reservations' expiry pushed forward when half their time-to-live has gone (a running turn's
 * hold never expires under it). Prepared, with the progress as a parameter: it carries every
 * answer's text so far, which MikroORM's path would escape into the SQL text every two seconds.
 */
const CHECKPOINT_TURNS: PreparedStatement = {
  name: "parley_checkpoint_turns",
  text: `with beat as (
       update chat_turns c
          set input_tokens = v.i, output_tokens = v.o, cache_read_tokens = v.cr,
              cache_write_tokens = v.cw, partial = v.p, tool_calls = v.t
         from jsonb_to_recordset($1::jsonb) as v(id uuid, i int, o int, cr int, cw int, p text, t jsonb)
        where c.id = v.id and c.status = 'running' and c.owner = $2
       returning c.id)
     update reservations r set expires_at = now() + make_interval(secs => $3)
       from beat where r.id = beat.id and r.status = 'open' and r.expires_at < now() + make_interval(secs => $4)`,
};

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
    cr: t.cacheReadTokens,
    cw: t.cacheWriteTokens,
    p: stripNul(t.partial),
    t: t.toolCalls,
  }));
  await queryPrepared(em, CHECKPOINT_TURNS, [JSON.stringify(rows), owner, ttlSeconds, ttlSeconds / 2]);
}

export interface FinishTurnInput {
  turnId: string;
  /** The turn's user, whose account's queue the settlement waits in; null (recovery): not queued. */
  userId: string | null;
  /** The owning process; null to recover a turn whose owner's heartbeat is older than `staleSeconds`. */
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
  cacheReadTokens: number;
  cacheWriteTokens: number;
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
  const [row] = await callLedger<{ parley_finish_turn: RawFinish }>(
    em,
    "parley_finish_turn",
    [
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
      p?.cacheReadTokens ?? null,
      p?.cacheWriteTokens ?? null,
    ],
    input.userId ? { account: input.userId } : {},
  );
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
    cacheReadTokens: raw.cacheReadTokens ?? 0,
    cacheWriteTokens: raw.cacheWriteTokens ?? 0,
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
interface RawFinish
  extends Omit<FinishedTurn, "creditsCharged" | "held" | "balance" | "cacheReadTokens" | "cacheWriteTokens"> {
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
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
      where status = 'running' and parley_turn_owner_dead(owner, created_at, ?)
      order by created_at limit ?`,
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
