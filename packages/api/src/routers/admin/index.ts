import { router } from "../../trpc.ts";
import { adminUsersRouter } from "./users.ts";

export const adminRouter = router({
  users: adminUsersRouter,
});
