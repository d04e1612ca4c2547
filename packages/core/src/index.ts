export * from "./domain-error.ts";
export * from "./paging.ts";
