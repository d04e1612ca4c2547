// bench:stream's prompt-caching section: the credits of one 20-turn conversation with Bedrock
// prompt caching and without it, through the real server and the fake Bedrock (which caches as
// Bedrock does: see packages/agent/src/fake-bedrock/prompt-cache.ts). Caching is turned off the
// way an admin does: by clearing the model's cache prices (no cache points are sent then).
import { creditsFor } from "@parley/accounting";
import { createParleyClient } from "@parley/client";
import { openDatabase } from "@parley/db";

const TURNS = 20;
/** Words per user message and per answer (the fake counts a word as a token). */
const QUESTION_WORDS = 40;
const ANSWER_WORDS = 250;

interface ConversationCost {
  credits: number;
  /** The same tokens priced by creditsFor(), turn by turn: the check that the ledger agrees. */
  expected: number;
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
}

export async function printPromptCaching(options: {
  databaseUrl: string;
  parleyUrl: string;
  token: string;
  model: string;
}): Promise<void> {
  const db = await openDatabase({ url: options.databaseUrl, poolSize: 1 });
  const connection = db.em.getConnection();
  try {
    const cached = await conversation(options, connection);
    const [prices] = await connection.execute<{ r: number | null; w: number | null }[]>(
      "select cache_read_per1m as r, cache_write_per1m as w from model_prices where model_id = ?",
      [options.model],
    );
    await connection.execute(
      "update model_prices set cache_read_per1m = null, cache_write_per1m = null where model_id = ?",
      [options.model],
    );
    const uncached = await conversation(options, connection);
    await connection.execute(
      "update model_prices set cache_read_per1m = ?, cache_write_per1m = ? where model_id = ?",
      [prices?.r ?? null, prices?.w ?? null, options.model],
    );
    console.log(
      `\nprompt caching: one ${TURNS}-turn conversation (${QUESTION_WORDS}-word questions, ${ANSWER_WORDS}-word answers), ${options.model}`,
    );
    console.log("caching  credits  (creditsFor)  input tok  cache read  cache write  output tok");
    for (const [name, c] of [
      ["on", cached],
      ["off", uncached],
    ] as const) {
      console.log(
        [
          name.padEnd(7),
          String(c.credits).padStart(8),
          `(${c.expected})`.padStart(13),
          String(c.input).padStart(10),
          String(c.cacheRead).padStart(11),
          String(c.cacheWrite).padStart(12),
          String(c.output).padStart(11),
        ].join(" "),
      );
    }
    console.log(`caching costs ${((cached.credits / uncached.credits) * 100).toFixed(1)}% of no caching`);
  } finally {
    await db.close();
  }
}

type Connection = ReturnType<Awaited<ReturnType<typeof openDatabase>>["em"]["getConnection"]>;

async function conversation(
  options: { parleyUrl: string; token: string; model: string },
  connection: Connection,
): Promise<ConversationCost> {
  const client = createParleyClient({ url: options.parleyUrl, token: options.token });
  const session = await client.sessions.create.mutate({ title: "caching bench", modelId: options.model });
  for (let turn = 1; turn <= TURNS; turn++) {
    const question = Array.from({ length: QUESTION_WORDS }, (_, i) => `q${turn}w${i}`).join(" ");
    const { turnId } = await client.sessions.send.mutate({
      sessionId: session.id,
      content: `${question} [[fake tokens=${ANSWER_WORDS}]]`,
    });
    await new Promise<void>((resolve, reject) => {
      const subscription = client.sessions.stream.subscribe(
        { turnId },
        {
          onData({ data: event }) {
            if (event.type === "done" || event.type === "error") {
              subscription.unsubscribe();
              if (event.type === "error") reject(new Error(event.message));
              else resolve();
            }
          },
          onError: reject,
        },
      );
    });
  }
  const rows = await connection.execute<
    {
      input_tokens: number;
      output_tokens: number;
      cache_read_tokens: number;
      cache_write_tokens: number;
      input_price_per1k: number;
      output_price_per1k: number;
      cache_read_price_per1m: number | null;
      cache_write_price_per1m: number | null;
      captured: string;
    }[]
  >(
    `select r.input_tokens, r.output_tokens, r.cache_read_tokens, r.cache_write_tokens, r.input_price_per1k,
            r.output_price_per1k, r.cache_read_price_per1m, r.cache_write_price_per1m, r.captured
       from chat_turns t join reservations r on r.id = t.id where t.session_id = ?`,
    [session.id],
  );
  const cost: ConversationCost = {
    credits: 0,
    expected: 0,
    input: 0,
    cacheRead: 0,
    cacheWrite: 0,
    output: 0,
  };
  for (const r of rows) {
    cost.credits += Number(r.captured);
    cost.expected += creditsFor(
      {
        inputPer1k: r.input_price_per1k,
        outputPer1k: r.output_price_per1k,
        cacheReadPer1m: r.cache_read_price_per1m,
        cacheWritePer1m: r.cache_write_price_per1m,
      },
      {
        input: r.input_tokens,
        output: r.output_tokens,
        cacheRead: r.cache_read_tokens,
        cacheWrite: r.cache_write_tokens,
      },
    );
    cost.input += r.input_tokens;
    cost.cacheRead += r.cache_read_tokens;
    cost.cacheWrite += r.cache_write_tokens;
    cost.output += r.output_tokens;
  }
  return cost;
}
