import { MAX_CACHE_PRICE_PER_1M, MAX_PRICE_PER_1K } from "@parley/validators";
import { z } from "zod";
import { jsonObject, optionalNumber, optionalString } from "./config-fields.ts";
import { checkSsoConfig, ssoConfigFields } from "./config-sso.ts";

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

/**
 * MODEL_PRICES: JSON object of model id → prices in credits per 1,000 tokens (and, for prompt
 * caching, per million tokens read from / written to the cache).
 */
const modelPricesSchema = jsonObject("").pipe(
  z.record(
    z.string().min(1).max(200),
    z.object({
      displayName: z.string().min(1).max(100).optional(),
      // The limits an admin's price change has (admin.pricing.update): the columns hold no more.
      inputPer1k: z.number().int().min(0).max(MAX_PRICE_PER_1K),
      outputPer1k: z.number().int().min(0).max(MAX_PRICE_PER_1K),
      cacheReadPer1m: z.number().int().min(0).max(MAX_CACHE_PRICE_PER_1M).optional(),
      cacheWritePer1m: z.number().int().min(0).max(MAX_CACHE_PRICE_PER_1M).optional(),
    }),
  ),
);

/**
 * Every setting Parley reads from the environment. `.env.example` lists them all; a bad value
 * stops start-up with a message naming the variable.
 */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    HOST: z.string().default("127.0.0.1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    ALLOWED_ORIGINS: z
      .string()
      .default("")
      .transform((value) =>
        value
          .split(",")
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url())),
    TRUST_PROXY: booleanFlag.default(false),
    DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    DATA_DIR: z.string().default("./data"),
    SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    AUTH_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    WEB_DIST_DIR: optionalString,
    ADMIN_EMAIL: optionalString.pipe(z.email().optional()),
    ADMIN_PASSWORD: optionalString,
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
    MODEL_PRICES: modelPricesSchema,
    BEDROCK_MODEL_ARNS: z
      .string()
      .default("anthropic.claude-3-5-haiku-20241022-v1:0,anthropic.claude-3-5-sonnet-20241022-v2:0")
      .transform((value) =>
        value
          .split(",")
          .map((id) => id.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().max(300)).min(1, "name at least one model")),
    AWS_DEFAULT_REGION: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region such as us-east-1")
      .default("us-east-1"),
    AWS_PROFILE: optionalString,
    LLM_FALLBACK_MODEL: optionalString,
    BEDROCK_ENDPOINT: optionalString.pipe(z.url().optional()),
    BEDROCK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
    DEMO_MODE: z.enum(["auto", "true", "false"]).default("auto"),
    CHAT_MAX_MESSAGE_CHARS: z.coerce.number().int().min(100).max(100_000).default(100_000),
    CHAT_MAX_CONCURRENT_TURNS: z.coerce.number().int().min(1).max(100).default(3),
    CHAT_SYSTEM_PROMPT: optionalString,
    // Bedrock takes images up to 3.75 MB and documents up to 4.5 MB.
    ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(4_500_000).default(3_750_000),
    ATTACHMENTS_MAX_PER_MESSAGE: z.coerce.number().int().min(1).max(20).default(5),
    ATTACHMENT_UNSENT_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(86_400),
    STREAM_COALESCE_MS: z.coerce.number().int().min(0).max(1000).default(25),
    REDIS_URL: optionalString.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
    // Unset: every core with REDIS_URL and DATABASE_URL, else one (workerCount in cluster/messages.ts).
    PARLEY_WORKERS: optionalNumber(z.coerce.number().int().min(1).max(256)),
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    OTEL_SERVICE_NAME: z.string().trim().min(1).max(100).default("parley"),
    METRICS_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
    METRICS_PORT: optionalNumber(z.coerce.number().int().min(1).max(65535)),
    // Empty means unset (a copied .env.example), not 0: demo mode then grants its default.
    SIGNUP_CREDITS: optionalNumber(z.coerce.number().int().min(0).max(1_000_000_000)),
    // Unset: open in demo mode, invite otherwise (decided at start, once demo mode is known).
    REGISTRATION: optionalString.pipe(z.enum(["open", "invite", "closed"]).optional()),
    REGISTRATION_EMAIL_DOMAINS: z
      .string()
      .default("")
      .transform((value) =>
        value
          .split(",")
          .map((domain) => domain.trim().toLowerCase().replace(/^@/, ""))
          .filter(Boolean),
      )
      .pipe(
        z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "must be e-mail domains such as example.com")),
      ),
    SMTP_URL: optionalString.pipe(z.url({ protocol: /^smtps?$/ }).optional()),
    SMTP_FROM: optionalString.transform((value) => value ?? "Parley <parley@localhost>"),
    RESERVATION_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
    ACCOUNTING_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    /** The tRPC panel at /panel in production: admins only, or not at all (always on in development). */
    PANEL: z.enum(["admin", "off"]).default("admin"),
    /** Shared secret of the external auth service whose HS256 JWTs are accepted as bearer tokens. */
    JWT_ACCESS_SECRET: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
    ...ssoConfigFields,
  })
  .superRefine(checkSsoConfig)
  .refine((config) => !config.ADMIN_EMAIL === !config.ADMIN_PASSWORD, {
    message: "ADMIN_EMAIL and ADMIN_PASSWORD must be set together",
    path: ["ADMIN_PASSWORD"],
  })
  .refine((config) => (config.PARLEY_WORKERS ?? 1) === 1 || config.REDIS_URL !== undefined, {
    message:
      "more than one worker process needs REDIS_URL (workers share answers and sign-outs through Redis): set REDIS_URL, or PARLEY_WORKERS=1",
    path: ["PARLEY_WORKERS"],
  })
  .refine((config) => (config.PARLEY_WORKERS ?? 1) === 1 || config.DATABASE_URL !== undefined, {
    message:
      "more than one worker process needs DATABASE_URL (the embedded database serves one process): set DATABASE_URL, or PARLEY_WORKERS=1",
    path: ["PARLEY_WORKERS"],
  })
  .refine(
    (config) => !config.LLM_FALLBACK_MODEL || config.BEDROCK_MODEL_ARNS.includes(config.LLM_FALLBACK_MODEL),
    {
      message: "must be one of BEDROCK_MODEL_ARNS",
      path: ["LLM_FALLBACK_MODEL"],
    },
  );

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment; throws a ConfigError listing each bad variable by name. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (issue) => `  ${issue.path.join(".") || "(config)"}: ${issue.message}`,
  );
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}
