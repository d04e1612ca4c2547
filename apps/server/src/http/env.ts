import type { RequestIdVariables } from "hono/request-id";
import type { Logger } from "../logger.ts";

/** Values middleware puts on each request's Hono context. */
export interface AppEnv {
  Variables: RequestIdVariables & { log: Logger };
}
