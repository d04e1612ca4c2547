export { createApp } from "./app.ts";
export { awsCredentialsAvailable } from "./bedrock.ts";
export { type Config, loadConfig } from "./config.ts";
export { createLogger } from "./logger.ts";
export { type RunningServer, startServer } from "./server.ts";
