import { createParleyClient, isParleyError, streamTurn } from "@parley/client";

const parley = createParleyClient({ url: "https://parley.example.com", token: process.env.PARLEY_API_KEY });
const { available } = await parley.accounting.balance.query(); // a number
const chat = await parley.sessions.create.mutate({ title: "From my program" });
try {
  const { turnId } = await parley.sessions.send.mutate({ sessionId: chat.id, content: "Hello!" });
  const done = await streamTurn(parley, turnId, { onToken: (text) => process.stdout.write(text) });
  console.log(`\n${done.creditsCharged} of ${available} credits spent`);
} catch (error) {
  if (isParleyError(error, "PAYMENT_REQUIRED"))
    console.error("Out of credits:", error.data.detail?.available);
  else throw error;
}
