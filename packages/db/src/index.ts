export {
  DriverException,
  type FilterQuery,
  LockMode,
  raw,
  UniqueConstraintViolationException,
} from "@mikro-orm/postgresql";
export * from "./audit.ts";
export * from "./embedded.ts";
export * from "./entities/index.ts";
export * from "./metadata.ts";
export * from "./orm.ts";
export { type PgPool, pgPoolOf } from "./pg-pool.ts";
export {
  NothingCommitted,
  type PreparedStatement,
  queryPrepared,
  queryPreparedTogether,
  runsOnPooledConnection,
} from "./prepared.ts";
export * from "./raw-values.ts";
export * from "./side-connection.ts";
