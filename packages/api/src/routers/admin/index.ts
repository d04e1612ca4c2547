import { router } from "../../trpc.ts";
import { adminAuditRouter } from "./audit.ts";
import { adminCreditsRouter } from "./credits.ts";
import { adminFeedbackRouter } from "./feedback.ts";
import { adminInvitationsRouter } from "./invitations.ts";
import { adminPricingRouter } from "./pricing.ts";
import { adminStreamingRouter } from "./streaming.ts";
import { adminUsageRouter } from "./usage.ts";
import { adminUsersRouter } from "./users.ts";

export const adminRouter = router({
  users: adminUsersRouter,
  credits: adminCreditsRouter,
  usage: adminUsageRouter,
  streaming: adminStreamingRouter,
  pricing: adminPricingRouter,
  invitations: adminInvitationsRouter,
  audit: adminAuditRouter,
  feedback: adminFeedbackRouter,
});
