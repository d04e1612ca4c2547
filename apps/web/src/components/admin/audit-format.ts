import { i18n, type MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { translatedRecord } from "../../i18n/translated-record.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import type { AuditAction, AuditEvent } from "./types.ts";

const ACTION_MESSAGES: Record<AuditAction, MessageDescriptor> = {
  "user.create": msg`Account created`,
  "user.role": msg`Role changed`,
  "user.active": msg`Access changed`,
  "user.passwordReset": msg`Reset link issued`,
  "credits.allocate": msg`Credits allocated`,
  "credits.set": msg`Credits set`,
  "credits.remove": msg`Credits removed`,
  "credits.adjust": msg`Credits adjusted`,
  "price.update": msg`Price changed`,
  "apikey.revoke": msg`API key revoked`,
  "invitation.create": msg`Invitation created`,
  "invitation.revoke": msg`Invitation revoked`,
};

export const AUDIT_ACTION_LABELS = translatedRecord(ACTION_MESSAGES);

export const AUDIT_ACTIONS = Object.keys(ACTION_MESSAGES) as AuditAction[];

export function isAuditAction(value: string | null): value is AuditAction {
  return AUDIT_ACTIONS.some((action) => action === value);
}

const FIELD_MESSAGES: Record<string, MessageDescriptor> = {
  active: msg`Active`,
  role: msg`Role`,
  balance: msg`Balance`,
  held: msg`Held`,
  available: msg`Available`,
  amount: msg`Amount`,
  notes: msg`Notes`,
  expiryDays: msg`Expires after (days)`,
  inputPer1k: msg`Input per 1k tokens`,
  outputPer1k: msg`Output per 1k tokens`,
  displayName: msg`Display name`,
  email: msg`Email`,
  username: msg`Username`,
  passwordSet: msg`Password set`,
  expiresAt: msg`Expires`,
  revokedAt: msg`Revoked`,
  status: msg`Status`,
  name: msg`Name`,
  prefix: msg`Prefix`,
  ownerId: msg`Owner`,
};

const FIELD_LABELS = translatedRecord(FIELD_MESSAGES);

const EMPTY = "—";

type Value = string | number | boolean | null | undefined;

function formatValue(value: Value): string {
  if (value === null || value === undefined) return EMPTY;
  if (typeof value === "boolean") return value ? i18n._(msg`yes`) : i18n._(msg`no`);
  if (typeof value === "number") return formatNumber(value);
  // Timestamps are stored as ISO strings.
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return formatDateTime(new Date(value));
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
