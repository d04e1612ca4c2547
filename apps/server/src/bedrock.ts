import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { BedrockClients, type ModelSpec, resolveModels } from "@parley/agent";
import { startFakeBedrock } from "@parley/agent/fake-bedrock";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";
import { isDemoMode } from "./welcome.ts";

export interface BedrockSetup {
  clients: BedrockClients;
  models: ModelSpec[];
  /** True when answers come from the built-in fake Bedrock (no AWS credentials configured). */
  demo: boolean;
  close(): Promise<void>;
}

/** How long the credential probe may take at start (instance and task roles answer over HTTP). */
const CREDENTIAL_PROBE_MS = 5000;

/**
 * Whether the AWS SDK's full default credential chain finds credentials: environment keys,
 * profiles and SSO, web identity, process credentials, and container (task) and instance roles,
 * each remote source with a short timeout and the whole probe capped. The credentials themselves
 * are never kept or logged; the Bedrock client resolves them again through the same chain.
 */
export async function awsCredentialsAvailable(
  options: { profile?: string | undefined; timeoutMs?: number } = {},
): Promise<boolean> {
  const timeoutMs = options.timeoutMs ?? CREDENTIAL_PROBE_MS;
  const chain = fromNodeProviderChain({
    timeout: 1000,
    maxRetries: 1,
    ...(options.profile ? { profile: options.profile } : {}),
  });
  const probe = chain().then(
    () => true,
    () => false,
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Bedrock clients for the configured models. With DEMO_MODE=auto, no BEDROCK_ENDPOINT and no AWS
 * credentials found by the SDK's chain, Parley starts the fake Bedrock Runtime server in-process
 * and talks to it through the real SDK: a newcomer can chat at once, clearly labelled as a demo.
 */
export async function setUpBedrock(config: Config, logger: Logger): Promise<BedrockSetup> {
  const models = resolveModels(config.BEDROCK_MODEL_ARNS, config.MODEL_PRICES);
  const demo = await isDemoMode(config);
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
