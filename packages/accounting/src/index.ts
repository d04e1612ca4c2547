export * from "./admin-credits.ts";
export * from "./balance.ts";
export * from "./history.ts";
export { callLedger } from "./ledger-functions.ts";
export * from "./pricing.ts";
export * from "./reservations.ts";
export * from "./sweeper.ts";
export * from "./usage.ts";
