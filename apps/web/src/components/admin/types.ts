import { msg } from "@lingui/core/macro";
import type { AppRouter, inferRouterInputs, inferRouterOutputs } from "@parley/api";
import { translatedRecord } from "../../i18n/translated-record.ts";

type Outputs = inferRouterOutputs<AppRouter>;
type Inputs = inferRouterInputs<AppRouter>;

export type AdminUser = Outputs["admin"]["users"]["list"]["items"][number];
export type UserRole = AdminUser["role"];
export type UserListInput = Inputs["admin"]["users"]["list"];
export type UserSort = NonNullable<UserListInput["sort"]>;
export type SortOrder = NonNullable<UserListInput["order"]>;
export type AccountBalance = Outputs["admin"]["credits"]["balanceOf"];
export type Grant = Outputs["admin"]["credits"]["grantsOf"][number];
export type UsageStats = Outputs["admin"]["usage"]["statsOf"];
export type SystemUsageStats = Outputs["admin"]["usage"]["systemStats"];
export type UsageTotals = UsageStats["totals"];
export type Reservation = Outputs["admin"]["streaming"]["active"][number];
export type ModelPrice = Outputs["admin"]["pricing"]["list"][number];

export const ROLES = ["user", "supervisor", "admin"] as const satisfies readonly UserRole[];

export const ROLE_LABELS = translatedRecord<UserRole>({
  user: msg`User`,
  supervisor: msg`Supervisor`,
  // "Admin" alone also names the administration area (the nav): the role is its own message.
  admin: msg({ message: "Admin", context: "role" }),
});

export function isRole(value: string | null): value is UserRole {
  return ROLES.some((role) => role === value);
}

export type AuditEvent = Outputs["admin"]["audit"]["list"]["items"][number];
export type AuditAction = AuditEvent["action"];
