import type { PublicAppRouter } from "@parley/api/public";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

/**
 * The Parley API's router type: every procedure with its input and output, and nothing of the
 * server (no request context, ORM or model-library types).
 */
export type AppRouter = PublicAppRouter;

/** Inputs of every procedure, e.g. `RouterInputs["auth"]["apiKeys"]["create"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Outputs of every procedure, e.g. `RouterOutputs["accounting"]["balance"]`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
