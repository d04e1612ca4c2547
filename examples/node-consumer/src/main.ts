// An outside program: signs in with an API key, reads the balance, streams a chat answer and
// shows the typed errors.
// Prints one JSON line for tests/api/client-package.test.ts to check.
import { createParleyClient, isParleyError, type RouterOutputs, sendTurn, streamTurn } from "@parley/client";

const url = process.env.PARLEY_URL;
const apiKey = process.env.PARLEY_API_KEY;
if (!url || !apiKey) throw new Error("Set PARLEY_URL and PARLEY_API_KEY.");

const parley = createParleyClient({ url, token: apiKey });

const me = await parley.auth.me.query();
const balance = await parley.accounting.balance.query();

// Inferred types, checked at compile time: if the client's types were `any`, the expected errors
// below would not happen, and TypeScript reports an unused expect-error directive as an error.
const available: number = balance.available;
const joined: Date = me.createdAt;
// @ts-expect-error -- `available` is a number, not a string
const wrong: string = balance.available;
// @ts-expect-error -- there is no such procedure
parley.accounting.noSuchProcedure;
const role: RouterOutputs["auth"]["me"]["role"] = me.role;

// A chat answer, streamed token by token, in a chat with its own instructions (saved as a preset too).
const chat = await parley.sessions.create.mutate({ title: "From the node consumer" });
const { settings } = await parley.sessions.update.mutate({
  sessionId: chat.id,
  systemPrompt: "Answer briefly.",
  temperature: 0.2,
  maxTokens: 200,
});
const preset = await parley.presets.create.mutate({ name: "Brief", ...settings });
const presetNames: string[] = (await parley.presets.list.query()).map((p) => p.name);
// Sent and streamed in one exchange (sessions.sendAndStream, a POST).
let streamed = "";
const done = await sendTurn(
  parley,
  { sessionId: chat.id, content: "Hello from Node" },
  { onToken: (text) => (streamed += text) },
);
const charged: number = done.creditsCharged;

// Versions: regenerate the answer (a sibling), then switch back to the first one.
const first = await parley.sessions.get.query({ sessionId: chat.id });
const firstAnswer = first.messages[1];
if (!firstAnswer) throw new Error("the chat has no answer");
const again = await parley.sessions.regenerate.mutate({ messageId: firstAnswer.id });
await streamTurn(parley, again.turnId);
const regenerated = await parley.sessions.get.query({ sessionId: chat.id });
const versions: string[] = regenerated.messages[1]?.siblingIds ?? [];
const switched = await parley.sessions.switchBranch.mutate({ messageId: firstAnswer.id });

// This key has no "admin" scope: the refusal is a typed FORBIDDEN error.
let refusal: string | null = null;
try {
  await parley.admin.users.list.query({ page: 1, size: 5 });
} catch (error) {
  if (isParleyError(error, "FORBIDDEN")) {
    const code: "FORBIDDEN" = error.data.code;
    refusal = `${code}: ${error.message}`;
  } else {
    throw error;
  }
}

console.log(
  JSON.stringify({
    userId: me.id,
    role,
    joinedIsDate: joined instanceof Date,
    available,
    wrongType: typeof wrong,
    answer: { streamed, content: done.content, status: done.status, charged },
    branches: { versions: versions.length, back: switched.activeLeafId === firstAnswer.id },
    settings,
    preset: { mine: preset.mine, names: presetNames },
    refusal,
  }),
);
