import { type Page, toPage } from "@parley/core";
import { CreditGrant, type EntityManager, LedgerEntry, type LedgerEntryType, Reservation } from "@parley/db";

export interface LedgerEntryView {
  id: number;
  type: LedgerEntryType;
  amount: number;
  heldDelta: number;
  balanceAfter: number;
  heldAfter: number;
  /** Who made the movement: the account holder, an admin or supervisor, or null for the system. */
  actor: { id: string; displayName: string; email: string } | null;
  grantId: string | null;
  reservationId: string | null;
  usageRecordId: string | null;
  notes: string | null;
  createdAt: Date;
}

/** The account's ledger, newest first. */
export async function ledgerHistory(
  em: EntityManager,
  query: { userId: string; page: number; size: number; type?: LedgerEntryType | undefined },
): Promise<Page<LedgerEntryView>> {
  const [entries, total] = await em.findAndCount(
    LedgerEntry,
    { user: query.userId, ...(query.type ? { type: query.type } : {}) },
    {
      orderBy: { id: "desc" },
      limit: query.size,
      offset: (query.page - 1) * query.size,
      populate: ["actor"],
    },
  );
  return toPage(entries.map(entryView), total, query);
}

function entryView(e: LedgerEntry): LedgerEntryView {
  return {
    id: e.id,
    type: e.type,
    amount: e.amount,
    heldDelta: e.heldDelta,
    balanceAfter: e.balanceAfter,
    heldAfter: e.heldAfter,
    actor: e.actor ? { id: e.actor.id, displayName: e.actor.displayName, email: e.actor.email } : null,
    grantId: e.grantId ?? null,
    reservationId: e.reservationId ?? null,
    usageRecordId: e.usageRecordId ?? null,
    notes: e.notes ?? null,
    createdAt: e.createdAt,
  };
}

/** One row of the grouped history: an answer's hold, charge and release together, or one movement. */
export interface HistoryRow {
  /** The reservation's id for an answer, the entry's id for any other movement. */
  key: string;
  kind: "answer" | "movement";
  /**
   * A movement's type. For an answer, how it stands: "capture" (charged), "release" (ended with
   * nothing charged) or "reserve" (still being written, its credits held).
   */
  type: LedgerEntryType;
  /** The change to the balance: a movement's amount, an answer's charge (negative or zero). */
  amount: number;
  balanceAfter: number;
  heldAfter: number;
  /** The model that wrote the answer; null for other movements. */
  modelId: string | null;
  /** When the row last changed: its newest entry. */
  createdAt: Date;
  /** The ledger entries behind the row, oldest first: one for a movement, up to three for an answer. */
  entries: LedgerEntryView[];
}

/**
 * The account's ledger, newest first, with the entries of each answer (held, charged, released:
 * all carrying the answer's reservation id) folded into one row. `type` keeps the rows with an
 * entry of that type ("reserve" keeps every answer).
 */
export async function groupedLedgerHistory(
  em: EntityManager,
  query: { userId: string; page: number; size: number; type?: LedgerEntryType | undefined },
): Promise<Page<HistoryRow>> {
  const params: unknown[] = query.type ? [query.userId, query.type] : [query.userId];
  const having = query.type ? "having bool_or(type = ?)" : "";
  const groups = `select coalesce(reservation_id::text, id::text) as key, max(id) as last_id, bool_or(reservation_id is not null) as answer
    from ledger_entries where user_id = ? group by 1 ${having}`;
  const [counted] = await em.execute<{ total: string }[]>(
    `select count(*) as total from (${groups}) g`,
    params,
  );
  const page = await em.execute<{ key: string; answer: boolean }[]>(
    `select key, answer from (${groups}) g order by last_id desc limit ? offset ?`,
    [...params, query.size, (query.page - 1) * query.size],
  );
  const reservationIds = page.filter((g) => g.answer).map((g) => g.key);
  const entryIds = page.filter((g) => !g.answer).map((g) => Number(g.key));
  const [entries, reservations] = await Promise.all([
    em.find(
      LedgerEntry,
      { user: query.userId, $or: [{ id: { $in: entryIds } }, { reservationId: { $in: reservationIds } }] },
      { orderBy: { id: "asc" }, populate: ["actor"] },
    ),
    em.find(Reservation, { id: { $in: reservationIds } }, { fields: ["id", "modelId"] }),
  ]);
  const modelOf = new Map(reservations.map((r) => [r.id, r.modelId]));
  const byKey = Map.groupBy(entries.map(entryView), (e) => e.reservationId ?? String(e.id));
  const rows = page.flatMap(({ key, answer }) => {
    const group = byKey.get(key);
    return group ? [historyRow(key, answer, group, modelOf.get(key) ?? null)] : [];
  });
  return toPage(rows, Number(counted?.total ?? 0), query);
}

function historyRow(
  key: string,
  answer: boolean,
  entries: LedgerEntryView[],
  modelId: string | null,
): HistoryRow {
  const last = entries[entries.length - 1] as LedgerEntryView;
  const settled = entries.find((e) => e.type === "capture") ?? entries.find((e) => e.type === "release");
  return {
    key,
    kind: answer ? "answer" : "movement",
    type: answer ? (settled?.type ?? "reserve") : last.type,
    amount: entries.reduce((sum, e) => sum + e.amount, 0),
    balanceAfter: last.balanceAfter,
    heldAfter: last.heldAfter,
    modelId: answer ? modelId : null,
    createdAt: last.createdAt,
    entries,
  };
}

export interface GrantView {
  id: string;
  amount: number;
  remaining: number;
  expiresAt: Date | null;
  expired: boolean;
  source: string;
  notes: string | null;
  grantedBy: { id: string; displayName: string; email: string } | null;
  createdAt: Date;
}

/** The account's grants: live ones first (soonest-expiring first, the order they are spent in). */
export async function listGrants(em: EntityManager, userId: string): Promise<GrantView[]> {
  const grants = await em.find(
    CreditGrant,
    { user: userId },
    {
      orderBy: { expired: "asc", expiresAt: "asc nulls last", createdAt: "desc" },
      populate: ["grantedBy"],
      limit: 500,
    },
  );
  return grants.map((g) => ({
    id: g.id,
    amount: g.amount,
    remaining: g.remaining,
    expiresAt: g.expiresAt ?? null,
    expired: g.expired,
    source: g.source,
    notes: g.notes ?? null,
    grantedBy: g.grantedBy
      ? { id: g.grantedBy.id, displayName: g.grantedBy.displayName, email: g.grantedBy.email }
      : null,
    createdAt: g.createdAt,
  }));
}
