import { createHash } from "node:crypto";
import { DomainError, type DomainErrorCode, type DomainErrorDetail, inSpan } from "@parley/core";
import {
  DriverException,
  type EntityManager,
  type PreparedStatement,
  queryPrepared,
  UniqueConstraintViolationException,
} from "@parley/db";
import { queueMovement } from "./account-queue.ts";

// The ledger's money movements are PL/pgSQL functions (see the ledger_functions migration): one
// call per operation, so an account's row lock is held only while PostgreSQL runs it. This module
// calls them, as named prepared statements (parsed and planned once per connection), and turns
// their errors (SQLSTATE PL400/402/404/409) into DomainErrors.

const CODES: Record<string, DomainErrorCode> = {
  PL400: "BAD_REQUEST",
  PL402: "PAYMENT_REQUIRED",
  PL403: "FORBIDDEN",
  PL404: "NOT_FOUND",
  PL409: "CONFLICT",
  PL429: "TOO_MANY_REQUESTS",
};

const statements = new Map<string, PreparedStatement>();

/** `select <columns> from fn($1, …)`, one statement per function, number of arguments and columns. */
function statementFor(fn: string, arity: number, columns: string): PreparedStatement {
  const key = `${fn}/${arity}/${columns}`;
  let statement = statements.get(key);
  if (!statement) {
    const placeholders = Array.from({ length: arity }, (_, i) => `$${i + 1}`).join(", ");
    // PostgreSQL cuts statement names at 63 bytes: a column list is named by its hash instead.
    const name =
      columns === "*"
        ? `${fn}/${arity}`
        : `${fn}/${arity}/${createHash("sha1").update(columns).digest("hex").slice(0, 8)}`;
    statement = { name, text: `select ${columns} from ${fn}(${placeholders})` };
    statements.set(key, statement);
  }
  return statement;
}

export interface LedgerCallOptions {
  /**
   * What the caller reads (a fixed list in the code, never input): each column left out is one
   * PostgreSQL need not format nor the driver parse (timestamps cost most). Default: all.
   */
  columns?: string;
  /**
   * The account whose row the function locks, for a movement: outside a transaction the call waits
   * its turn in that account's queue and may run in one transaction with others that waited there
   * (see account-queue.ts).
   */
  account?: string;
}

/**
 * Runs `select <columns> from fn(args…)` and returns its rows, with ledger refusals as
 * DomainErrors. Inside `em.transactional` the call runs on that transaction's connection
 * (queryPrepared), never queued: the transaction may already hold what a queued movement waits for.
 */
export function callLedger<Row>(
  em: EntityManager,
  fn: string,
  args: unknown[],
  options: LedgerCallOptions = {},
): Promise<Row[]> {
  const statement = statementFor(fn, args.length, options.columns ?? "*");
  const { account } = options;
  // Each call is one ledger movement (or read): a span of its own in a trace.
  return inSpan(
    `ledger ${fn}`,
    { "db.system.name": "postgresql", "parley.ledger.function": fn },
    async () => {
      try {
        return account && !em.getTransactionContext()
          ? await queueMovement<Row>(em, account, statement, args)
          : await queryPrepared<Row>(em, statement, args);
      } catch (error) {
        throw toDomainError(error) ?? error;
      }
    },
  );
}

function toDomainError(error: unknown): DomainError | null {
  if (error instanceof UniqueConstraintViolationException && /reservations_pkey/.test(error.message)) {
    // Two users raced to initialize the same session id: the loser gets what it would have got later.
    return new DomainError("CONFLICT", "That session id is already in use.", { field: "sessionId" });
  }
  if (!(error instanceof DriverException)) return null;
  const code = CODES[String(error.code)];
  if (!code) return null;
  const message = error.message.split("\n - detail:")[0] ?? error.message;
  const raw = (error as DriverException & { detail?: string }).detail;
  let detail: DomainErrorDetail = {};
  try {
    detail = raw ? (JSON.parse(raw) as DomainErrorDetail) : {};
  } catch {
    // Not JSON: keep the message alone.
  }
  return new DomainError(code, message, detail);
}

/** Numeric columns of type bigint arrive as strings; these convert the ledger's rows. */
export const toNumber = (value: string | number | null): number => Number(value ?? 0);
export const toNullableNumber = (value: string | number | null): number | null =>
  value === null ? null : Number(value);
