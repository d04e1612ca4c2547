import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { BedrockClients, type ModelSpec, resolveModels } from "@parley/agent";
import { startFakeBedrock } from "@parley/agent/fake-bedrock";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";

export interface BedrockSetup {
  clients: BedrockClients;
  models: ModelSpec[];
  /** True when answers come from the built-in fake Bedrock (no AWS credentials configured). */
  demo: boolean;
  close(): Promise<void>;
}

/** Whether the AWS SDK's default credential chain has anything obvious to find. */
function awsCredentialsConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(
    env.AWS_ACCESS_KEY_ID ||
      env.AWS_PROFILE ||
      env.AWS_WEB_IDENTITY_TOKEN_FILE ||
      env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
      existsSync(join(homedir(), ".aws", "credentials")) ||
      existsSync(join(homedir(), ".aws", "config")),
  );
}

/**
 * Bedrock clients for the configured models. With DEMO_MODE=auto and no AWS credentials in sight
 * (and no BEDROCK_ENDPOINT), Parley starts the fake Bedrock Runtime server in-process and talks
 * to it through the real SDK: a newcomer can chat at once, clearly labelled as a demo. Servers
 * that get credentials from an instance role (invisible here) set DEMO_MODE=false.
 */
export async function setUpBedrock(config: Config, logger: Logger): Promise<BedrockSetup> {
  const models = resolveModels(config.BEDROCK_MODEL_ARNS, config.MODEL_PRICES);
  const demo =
    config.DEMO_MODE === "true" ||
    (config.DEMO_MODE === "auto" && !config.BEDROCK_ENDPOINT && !awsCredentialsConfigured(process.env));
  const fake = demo ? await startFakeBedrock({ behaviour: { tokens: 80, rate: 40 } }) : null;
  const clients = new BedrockClients(
    {
      region: config.AWS_DEFAULT_REGION,
      endpoint: fake?.url ?? config.BEDROCK_ENDPOINT,
      maxAttempts: config.BEDROCK_MAX_ATTEMPTS,
      ...(fake ? { credentials: { accessKeyId: "demo", secretAccessKey: "demo" } } : {}),
    },
    logger,
  );
  if (demo)
    logger.warn({ endpoint: fake?.url }, "DEMO MODE: answers come from the built-in fake Bedrock server");
  return {
    clients,
    models,
    demo,
    async close() {
      clients.destroy();
      await fake?.close();
    },
  };
}
