import { accountingRouter } from "./routers/accounting.ts";
import { adminRouter } from "./routers/admin/index.ts";
import { authRouter } from "./routers/auth.ts";
import { feedbackRouter } from "./routers/feedback.ts";
import { presetsRouter } from "./routers/presets.ts";
import { sessionsRouter } from "./routers/sessions.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  auth: authRouter,
  accounting: accountingRouter,
  admin: adminRouter,
  sessions: sessionsRouter,
  feedback: feedbackRouter,
  presets: presetsRouter,
});

/** The whole API's type: clients import this (type only) for end-to-end inference. */
export type AppRouter = typeof appRouter;
