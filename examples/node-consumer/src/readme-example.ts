import { createParleyClient, isParleyError, sendTurn } from "@parley/client";

const parley = createParleyClient({ url: "https://parley.example.com", token: process.env.PARLEY_API_KEY });
const { available } = await parley.accounting.balance.query(); // a number
const chat = await parley.sessions.create.mutate({ title: "From my program" });
try {
  const done = await sendTurn(
    parley,
    { sessionId: chat.id, content: "Hello!" },
    {
      onToken: (text) => process.stdout.write(text),
    },
  );
  console.log(`\n${done.creditsCharged} of ${available} credits spent`);
} catch (error) {
  if (isParleyError(error, "PAYMENT_REQUIRED"))
    console.error("Out of credits:", error.data.detail?.available);
  else throw error;
}
