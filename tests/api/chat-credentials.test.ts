// No AWS credentials and demo mode off: the user gets a specific error and nothing is charged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser } from "../support/accounting.ts";
import { converse, eventsOfType } from "../support/chat.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]) {
    delete process.env[name];
  }
  // Keep the SDK's credential chain off the network: no instance-metadata lookups from tests.
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  process.env.AWS_SHARED_CREDENTIALS_FILE = "/nonexistent/credentials";
  process.env.AWS_CONFIG_FILE = "/nonexistent/config";
  server = await startTestServer({ env: { DEMO_MODE: "false", BEDROCK_MAX_ATTEMPTS: "1" } });
});
afterAll(() => server?.close());

describe("missing AWS credentials", () => {
  it("answers with CREDENTIALS_MISSING, charges nothing and releases the hold", async () => {
    const { user } = await fundedUser(server, 100_000);
    const session = await user.client.sessions.create.mutate({});
    const events = await converse(user.client, { sessionId: session.id, content: "hello" });
    const [error] = eventsOfType(events, "error");
    expect(error).toMatchObject({ code: "CREDENTIALS_MISSING", creditsCharged: 0 });
    expect(error?.message).toMatch(/AWS credentials/);
    expect(await user.client.accounting.balance.query()).toMatchObject({ balance: 100_000, held: 0 });
    const answer = (await user.client.sessions.get.query({ sessionId: session.id })).messages[1];
    expect(answer?.status).toBe("failed");
  });
});
