import type { TestServer } from "./server.ts";
import { signUp, signUpAs } from "./users.ts";

/** A model priced for easy arithmetic: 1 credit per input token, 2 per output token. */
export const TEST_MODEL = "test.simple-model";
export const accountingEnv = {
  MODEL_PRICES: JSON.stringify({
    [TEST_MODEL]: { displayName: "Test Model", inputPer1k: 1000, outputPer1k: 2000 },
  }),
};

/** Cost of a call on TEST_MODEL. */
export const costOf = (input: number, output: number) => input + 2 * output;

/** An admin plus a user holding `credits` (allocated by that admin). */
export async function fundedUser(server: TestServer, credits: number, expiryDays?: number) {
  const admin = await signUpAs(server, "admin");
  const user = await signUp(server);
  if (credits > 0) {
    await admin.client.admin.credits.allocate.mutate({
      userId: user.user.id,
      credits,
      notes: "test funding",
      ...(expiryDays ? { expiryDays } : {}),
    });
  }
  return { admin, user };
}
