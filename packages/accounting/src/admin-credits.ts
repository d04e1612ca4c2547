import type { EntityManager } from "@parley/db";
import { type AccountRow, type Balance, toBalance } from "./balance.ts";
import { assertMayMoveCredits } from "./credit-permissions.ts";
import { callLedger } from "./ledger-functions.ts";

/** Every admin movement names its actor and may carry notes: the ledger is the audit trail. */
export interface AdminMovement {
  /**
   * Who moves the credits (checked by assertMayMoveCredits, recorded on the ledger entry); null for
   * the system (e.g. welcome credits).
   */
  actorId: string | null;
  userId: string;
  notes?: string | undefined;
}

export interface GrantOptions {
  expiryDays?: number | undefined;
}

type MoveType = "allocate" | "adjust" | "remove" | "set";

async function move(
  em: EntityManager,
  type: MoveType,
  amount: number,
  input: AdminMovement & GrantOptions,
): Promise<Balance> {
  // The system (null actor) moves credits on its own rules; people are checked here, so no caller can skip it.
  if (input.actorId !== null) await assertMayMoveCredits(em, input.actorId, input.userId);
  const [row] = await callLedger<AccountRow>(em, "parley_admin_move", [
    input.userId,
    input.actorId,
    type,
    amount,
    input.expiryDays ?? null,
    input.notes ?? null,
  ]);
  return toBalance(row);
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
