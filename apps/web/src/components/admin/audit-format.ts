import { formatNumber } from "../../lib/format.ts";
import type { AuditAction, AuditEvent } from "./types.ts";

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  "user.create": "Account created",
  "user.role": "Role changed",
  "user.active": "Access changed",
  "user.passwordReset": "Reset link issued",
  "credits.allocate": "Credits allocated",
  "credits.set": "Credits set",
  "credits.remove": "Credits removed",
  "credits.adjust": "Credits adjusted",
  "price.update": "Price changed",
  "apikey.revoke": "API key revoked",
  "invitation.create": "Invitation created",
  "invitation.revoke": "Invitation revoked",
};

export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABELS) as AuditAction[];

export function isAuditAction(value: string | null): value is AuditAction {
  return AUDIT_ACTIONS.some((action) => action === value);
}

const FIELD_LABELS: Record<string, string> = {
  active: "Active",
  role: "Role",
  balance: "Balance",
  held: "Held",
  available: "Available",
  amount: "Amount",
  notes: "Notes",
  expiryDays: "Expires after (days)",
  inputPer1k: "Input per 1k tokens",
  outputPer1k: "Output per 1k tokens",
  displayName: "Display name",
  email: "Email",
  username: "Username",
  passwordSet: "Password set",
  expiresAt: "Expires",
  revokedAt: "Revoked",
  status: "Status",
  name: "Name",
  prefix: "Prefix",
  ownerId: "Owner",
};

const EMPTY = "—";

type Value = string | number | boolean | null | undefined;

function formatValue(value: Value): string {
  if (value === null || value === undefined) return EMPTY;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return formatNumber(value);
  // Timestamps are stored as ISO strings.
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return new Date(value).toLocaleString();
  return value;
}

export interface AuditChangeLine {
  field: string;
  label: string;
  before: string | null;
  after: string | null;
  changed: boolean;
}

/**
 * The record's before/after as lines a person reads: "Role: user → supervisor". Fields that stayed
 * the same, and empty ones (no notes, no expiry), are left out: they say nothing.
 */
export function changeLines(event: Pick<AuditEvent, "before" | "after">): AuditChangeLine[] {
  const before = event.before ?? {};
  const after = event.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const lines = fields.map((field) => {
    const hasBefore = event.before !== null && field in before;
    const hasAfter = event.after !== null && field in after;
    const beforeText = hasBefore ? formatValue(before[field]) : null;
    const afterText = hasAfter ? formatValue(after[field]) : null;
    return {
      field,
      label: FIELD_LABELS[field] ?? field,
      before: beforeText,
      after: afterText,
      changed: hasBefore && hasAfter && beforeText !== afterText,
      same: hasBefore && hasAfter && beforeText === afterText,
    };
  });
  return lines
    .filter((line) => !line.same && (line.before ?? EMPTY) + (line.after ?? EMPTY) !== EMPTY.repeat(2))
    .map(({ same: _same, ...line }) => line);
}
