export * from "./admin-credits.ts";
export * from "./balance.ts";
export * from "./credit-permissions.ts";
export * from "./history.ts";
export * from "./pricing.ts";
export * from "./reservations.ts";
export * from "./sweeper.ts";
export * from "./usage.ts";
