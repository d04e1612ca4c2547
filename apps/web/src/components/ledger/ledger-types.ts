import { msg } from "@lingui/core/macro";
import { translatedRecord } from "../../i18n/translated-record.ts";
import type { LedgerEntry, LedgerEntryType, LedgerRow } from "../../lib/api-types.ts";

/** One name per ledger entry type, for every ledger view. */
export const LEDGER_TYPE_LABELS = translatedRecord<LedgerEntryType>({
  allocate: msg`Credits added`,
  set: msg`Balance set`,
  adjust: msg`Adjustment`,
  remove: msg`Credits removed`,
  reserve: msg`Held for an answer`,
  capture: msg`Charged`,
  release: msg`Hold released`,
  expire: msg`Credits expired`,
  refund: msg`Refund`,
});

export const LEDGER_TYPES = Object.keys(LEDGER_TYPE_LABELS) as LedgerEntryType[];

export const LEDGER_TYPE_TONE: Partial<Record<LedgerEntryType, "good" | "bad" | "brand">> = {
  allocate: "good",
  refund: "good",
  remove: "bad",
  expire: "bad",
  capture: "brand",
};

export function isLedgerType(value: string): value is LedgerEntryType {
  return value in LEDGER_TYPE_LABELS;
}

/** A full-ledger entry as a one-entry row, so the one ledger table shows both views. */
export function entryRow(entry: LedgerEntry): LedgerRow {
  return {
    key: String(entry.id),
    kind: "movement",
    type: entry.type,
    amount: entry.amount,
    balanceAfter: entry.balanceAfter,
    heldAfter: entry.heldAfter,
    modelId: null,
    createdAt: entry.createdAt,
    entries: [entry],
  };
}
