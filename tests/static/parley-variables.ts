import { configSchema } from "@parley/server/config";

/** Environment variables a deployment may set: Parley's own, and those its libraries read themselves. */
export const parleyVariables: readonly string[] = [
  ...Object.keys(configSchema.shape),
  // The AWS SDK reads its credentials from the environment itself.
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
];
