// Standalone fake Bedrock Runtime, for running the app or manual tests against it:
//   node packages/agent/src/fake-bedrock/main.ts [--port 4010] [--default "tokens=50 rate=20"]
// The port also comes from FAKE_BEDROCK_PORT (the flag wins); 0 picks a free one. Then point the
// app at it with AWS_ENDPOINT_URL_BEDROCK_RUNTIME=<printed url> and any AWS_ACCESS_KEY_ID /
// AWS_SECRET_ACCESS_KEY.
import { parseArgs } from "node:util";
import { startFakeBedrock } from "./server.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    default: { type: "string" },
  },
});
const portText = values.port ?? process.env.FAKE_BEDROCK_PORT ?? "0";
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`fake-bedrock: invalid port ${portText}`);
  process.exit(2);
}

const fake = await startFakeBedrock({
  port,
  ...(values.default === undefined ? {} : { behaviour: values.default }),
  log: (line) => console.log(`fake-bedrock: ${line}`),
});
console.log(`fake-bedrock listening on ${fake.url}`);

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`fake-bedrock: ${signal}, shutting down`);
  await fake.close();
  process.exit(0);
}
process.on("SIGINT", (signal) => void stop(signal));
process.on("SIGTERM", (signal) => void stop(signal));
