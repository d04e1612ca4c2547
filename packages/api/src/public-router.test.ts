// Compile-time checks (run by `pnpm typecheck`; the test itself only records that they exist).
import type { inferRouterError, inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { expectTypeOf, it } from "vitest";
import type { ParleyErrorShape, PublicAppRouter } from "./public-router.ts";
import type { AppRouter } from "./root.ts";

it("the public router takes the same inputs as the server's", () => {
  expectTypeOf<inferRouterInputs<PublicAppRouter>>().toEqualTypeOf<inferRouterInputs<AppRouter>>();
});

it("its outputs are what the server returns, as plain types", () => {
  expectTypeOf<inferRouterOutputs<AppRouter>>().toExtend<inferRouterOutputs<PublicAppRouter>>();
  expectTypeOf<inferRouterOutputs<PublicAppRouter>["auth"]["me"]["role"]>().toEqualTypeOf<
    "user" | "supervisor" | "admin"
  >();
});

it("the server's error formatter produces the documented error shape", () => {
  expectTypeOf<inferRouterError<AppRouter>>().toExtend<ParleyErrorShape>();
});
