// A Bedrock error the operator must fix reaches the user as a specific, actionable message
// (the full list and each fix: docs/troubleshooting.md). Nothing is charged for a refused call.
import { formatDirective } from "@parley/agent/fake-bedrock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { converse, eventsOfType, startChatTestServer } from "../support/chat.ts";

let stack: Awaited<ReturnType<typeof startChatTestServer>>;
beforeAll(async () => {
  stack = await startChatTestServer({ BEDROCK_MAX_ATTEMPTS: "1" });
});
afterAll(() => stack?.close());

describe("on-demand throughput not supported", () => {
  it("answers INFERENCE_PROFILE_REQUIRED telling the operator to use an inference profile", async () => {
    const { user } = await fundedUser(stack.server, 100_000);
    const session = await user.client.sessions.create.mutate({});
    const directive = formatDirective({
      error: {
        name: "ValidationException",
        status: 400,
        message:
          "Invocation of model ID anthropic.claude-3-5-sonnet-20241022-v2:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
      },
    });
    const events = await converse(user.client, { sessionId: session.id, content: `hi ${directive}` });
    const [error] = eventsOfType(events, "error");
    expect(error).toMatchObject({ code: "INFERENCE_PROFILE_REQUIRED", creditsCharged: 0 });
    expect(error?.message).toMatch(/inference profile/);
    expect(error?.message).toMatch(/BEDROCK_MODEL_ARNS/);
    expect(await user.client.accounting.balance.query()).toMatchObject({ balance: 100_000, held: 0 });
  });
});
