export * from "./domain-error.ts";
export * from "./metrics.ts";
export * from "./paging.ts";
export * from "./tracing.ts";
