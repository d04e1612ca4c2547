import type { AppRouter, inferRouterInputs, inferRouterOutputs } from "@parley/api";

type Outputs = inferRouterOutputs<AppRouter>;
type Inputs = inferRouterInputs<AppRouter>;

export type AdminUser = Outputs["admin"]["users"]["list"]["items"][number];
export type UserRole = AdminUser["role"];
export type UserListInput = Inputs["admin"]["users"]["list"];
export type UserSort = NonNullable<UserListInput["sort"]>;
export type SortOrder = NonNullable<UserListInput["order"]>;
export type AccountBalance = Outputs["admin"]["credits"]["balanceOf"];
export type LedgerEntry = Outputs["admin"]["credits"]["historyOf"]["items"][number];
export type LedgerType = LedgerEntry["type"];
export type Grant = Outputs["admin"]["credits"]["grantsOf"][number];
export type UsageStats = Outputs["admin"]["usage"]["statsOf"];
export type SystemUsageStats = Outputs["admin"]["usage"]["systemStats"];
export type UsageTotals = UsageStats["totals"];
export type Reservation = Outputs["admin"]["streaming"]["active"][number];
export type ModelPrice = Outputs["admin"]["pricing"]["list"][number];

export const ROLES = ["user", "supervisor", "admin"] as const satisfies readonly UserRole[];

export const ROLE_LABELS: Record<UserRole, string> = {
  user: "User",
  supervisor: "Supervisor",
  admin: "Admin",
};

export const LEDGER_TYPES = [
  "allocate",
  "set",
  "adjust",
  "remove",
  "reserve",
  "capture",
  "release",
  "expire",
  "refund",
] as const satisfies readonly LedgerType[];

export const LEDGER_TYPE_LABELS: Record<LedgerType, string> = {
  allocate: "Allocated",
  set: "Balance set",
  adjust: "Adjusted",
  remove: "Removed",
  reserve: "Reserved",
  capture: "Charged",
  release: "Released",
  expire: "Expired",
  refund: "Refunded",
};

export function isRole(value: string | null): value is UserRole {
  return ROLES.some((role) => role === value);
}

export function isLedgerType(value: string | null): value is LedgerType {
  return LEDGER_TYPES.some((type) => type === value);
}

export type AuditEvent = Outputs["admin"]["audit"]["list"]["items"][number];
export type AuditAction = AuditEvent["action"];
