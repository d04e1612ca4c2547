export type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
export * from "./api-key-scopes.ts";
export * from "./context.ts";
export { type AppRouter, appRouter } from "./root.ts";
export * from "./schemas.ts";
export { createCallerFactory } from "./trpc.ts";
