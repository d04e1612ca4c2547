import { type AuditActor, type EntityManager, recordAudit } from "@parley/db";
import { type AccountRow, type Balance, lockBalance, toBalance } from "./balance.ts";
import { assertMayMoveCredits } from "./credit-permissions.ts";
import { callLedger } from "./ledger-functions.ts";

/** Every admin movement names its actor and may carry notes: a ledger entry and an audit record. */
export interface AdminMovement {
  /**
   * Who moves the credits (checked by assertMayMoveCredits, recorded on the ledger entry and in the
   * audit trail); null for the system (e.g. welcome credits), which is not audited.
   */
  actor: AuditActor | null;
  userId: string;
  notes?: string | undefined;
}

export interface GrantOptions {
  expiryDays?: number | undefined;
}

type MoveType = "allocate" | "adjust" | "remove" | "set";

async function ledgerMove(
  em: EntityManager,
  type: MoveType,
  amount: number,
  input: AdminMovement & GrantOptions,
): Promise<Balance> {
  const [row] = await callLedger<AccountRow>(
    em,
    "parley_admin_move",
    [input.userId, input.actor?.id ?? null, type, amount, input.expiryDays ?? null, input.notes ?? null],
    { account: input.userId },
  );
  return toBalance(row);
}

const figures = (balance: Balance) => ({
  balance: balance.balance,
  held: balance.held,
  available: balance.available,
});

/**
 * A person's movement runs in one transaction: the account's lock is taken first (so `before` is
 * exact), then the ledger function moves the credits, then the `credits.<type>` audit record is
 * inserted. A refused movement (PL4xx) rolls back and leaves neither ledger entry nor audit record.
 */
async function move(
  em: EntityManager,
  type: MoveType,
  amount: number,
  input: AdminMovement & GrantOptions,
): Promise<Balance> {
  const { actor } = input;
  // The system (null actor) moves credits on its own rules; people are checked here, so no caller can skip it.
  if (actor === null) return ledgerMove(em, type, amount, input);
  await assertMayMoveCredits(em, actor.id, input.userId);
  return em.transactional(async (tx) => {
    const before = await lockBalance(tx, input.userId);
    const after = await ledgerMove(tx, type, amount, input);
    recordAudit(tx, actor, {
      action: `credits.${type}`,
      targetType: "user",
      targetId: input.userId,
      before: figures(before),
      after: {
        ...figures(after),
        amount,
        notes: input.notes ?? null,
        expiryDays: input.expiryDays ?? null,
      },
    });
    await tx.flush();
    return after;
  });
}

/** Adds `credits` as a new grant (optionally expiring). */
export const allocateCredits = (
  em: EntityManager,
  input: AdminMovement & GrantOptions & { credits: number },
) => move(em, "allocate", input.credits, input);

/** Removes `credits` from what is available (credits held by open reservations cannot be removed). */
export const removeCredits = (em: EntityManager, input: AdminMovement & { credits: number }) =>
  move(em, "remove", input.credits, input);

/** A signed correction: positive adds a grant, negative removes from what is available. */
export const adjustCredits = (
  em: EntityManager,
  input: AdminMovement & GrantOptions & { adjustment: number },
) => move(em, "adjust", input.adjustment, input);

/** Sets the balance to exactly `credits`, adding a grant or removing the difference. */
export const setCredits = (em: EntityManager, input: AdminMovement & GrantOptions & { credits: number }) =>
  move(em, "set", input.credits, input);
