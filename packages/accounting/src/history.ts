import { type Page, toPage } from "@parley/core";
import { CreditGrant, type EntityManager, LedgerEntry, type LedgerEntryType } from "@parley/db";

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
  return toPage(
    entries.map((e) => ({
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
    })),
    total,
    query,
  );
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
