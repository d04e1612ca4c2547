// The router type other programs compile against, with nothing of the server in it.
//
// `typeof appRouter` carries the request `Context` (MikroORM's EntityManager, the chat service…)
// in its root types, so a declaration file built from it drags the server's packages into every
// consumer (tRPC issue #5004). Clients need only the procedures and the error shape. Here the
// procedure record is re-mapped through conditional types, which TypeScript resolves before it
// writes a declaration: `publicProcedures` below is emitted as plain object types (inputs and
// outputs spelled out, MikroORM's `Opt<>` brands dropped), and `PublicAppRouter` pairs it with
// context-free root types. packages/client builds its published declaration from this.
import type { DomainErrorDetail } from "@parley/core";
import type {
  AnyTRPCProcedure,
  AnyTRPCRouter,
  TRPC_ERROR_CODE_KEY,
  TRPC_ERROR_CODE_NUMBER,
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCSubscriptionProcedure,
} from "@trpc/server";
// TS2742 otherwise: declaration emit of routers with tracked subscriptions (`appRouter`, the
// sessions router) must name tRPC's `TrackedData`, which lives in a hashed chunk of @trpc/server
// and is exported only from this entry. Importing the entry in the program lets TypeScript use it.
import type {} from "@trpc/server/unstable-core-do-not-import";
import type { AppRouter } from "./root.ts";

/** A zod issue as it travels to clients (`data.zodIssues`). */
export interface PublicZodIssue {
  code: string;
  path: PropertyKey[];
  message: string;
}

/** `error.data` of every Parley error. */
export interface ParleyErrorData {
  code: TRPC_ERROR_CODE_KEY;
  httpStatus: number;
  path?: string;
  /** For invalid input: zod's issues, each with `path` and `message`. */
  zodIssues: PublicZodIssue[] | null;
  /** For domain refusals: e.g. `{ field: "email" }`, `{ retryAfterSeconds: 840 }`, `{ available, required }`. */
  detail: DomainErrorDetail | null;
}

export interface ParleyErrorShape {
  message: string;
  code: TRPC_ERROR_CODE_NUMBER;
  data: ParleyErrorData;
}

type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/** Required fields; a mapped type over chosen keys, so no declared property type is reused. */
type RequiredFields<T> = T extends object ? { [K in Exclude<keyof T, OptionalKeys<T>>]: Plain<T[K]> } : never;

/**
 * A value as the client receives it (superjson keeps Dates), spelled out: no aliases from the
 * server's packages, no ORM brands such as MikroORM's `Opt<string>`. Strings are handled apart
 * because a union of string literals keeps its alias (`InvitationStatus`) through conditional
 * types; `FreshStrings` rebuilds it by indexed access, which creates a union without one.
 */
type Plain<T> = unknown extends T
  ? T
  : FreshStrings<UnbrandedStrings<Extract<T, string>>> | PlainOther<Exclude<T, string>>;

/** Literal strings stay; `string` and branded strings (`string & Brand`) become `string`. */
type UnbrandedStrings<S> = S extends `${infer Literal}` ? Literal : string;

type FreshStrings<S> = [S] extends [string] ? (string extends S ? string : { [K in S]: K }[S]) : never;

type PlainOther<T> = T extends Date
  ? Date
  : T extends number
    ? number extends T
      ? number
      : T
    : T extends boolean | bigint | null | undefined
      ? T
      : T extends readonly (infer Item)[]
        ? Plain<Item>[]
        : [OptionalKeys<T>] extends [never]
          ? RequiredFields<T>
          : RequiredFields<T> & { [K in OptionalKeys<T>]?: Plain<T[K]> };

/** A subscription's stream of plain events. */
type PlainStream<T> =
  T extends AsyncIterable<infer Item, infer Return, infer Next>
    ? AsyncIterable<Plain<Item>, Return, Next>
    : never;

type PlainProcedure<P> =
  P extends TRPCQueryProcedure<infer D>
    ? TRPCQueryProcedure<{ input: D["input"]; output: Plain<D["output"]>; meta: object }>
    : P extends TRPCMutationProcedure<infer D>
      ? TRPCMutationProcedure<{ input: D["input"]; output: Plain<D["output"]>; meta: object }>
      : P extends TRPCSubscriptionProcedure<infer D>
        ? TRPCSubscriptionProcedure<{ input: D["input"]; output: PlainStream<D["output"]>; meta: object }>
        : never;

/**
 * A router record with every procedure made plain, nested routers (`admin.users`) included. A
 * conditional type, so declaration emit writes out its result rather than this alias.
 */
type PlainRecord<R> = R extends object
  ? { [K in keyof R]: R[K] extends AnyTRPCProcedure ? PlainProcedure<R[K]> : PlainRecord<R[K]> }
  : never;

function plainRecord<R extends AnyTRPCRouter>(router: R): PlainRecord<R["_def"]["record"]> {
  return router._def.record as PlainRecord<R["_def"]["record"]>;
}

/**
 * Exists for its declared return type (see the top of this file); nothing calls it. It takes the
 * router as `unknown` so that this module imports no server code, only types.
 */
export const publicProcedures = (router: unknown) => plainRecord(router as AppRouter);

/** The whole API's type for clients: every procedure, no server context. */
export type PublicAppRouter = TRPCBuiltRouter<
  { ctx: object; meta: object; errorShape: ParleyErrorShape; transformer: true },
  ReturnType<typeof publicProcedures>
>;
