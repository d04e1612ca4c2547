import type { Config } from "./config.ts";

/** In demo mode newcomers get enough to try chatting straight away. */
const DEMO_SIGNUP_CREDITS = 1_000_000;

/** What every new account is given: SIGNUP_CREDITS, else a demo's allowance, else nothing. */
export interface WelcomeCredits {
  credits: number;
  /** Demo credits expire, and are removed when the server next starts outside demo mode. */
  demo: boolean;
}

export function welcomeCredits(config: Config, demo: boolean): WelcomeCredits {
  return { credits: config.SIGNUP_CREDITS ?? (demo ? DEMO_SIGNUP_CREDITS : 0), demo };
}

/** Whether answers come from the built-in fake Bedrock (DEMO_MODE, and for "auto" no way to AWS). */
export async function isDemoMode(config: Config): Promise<boolean> {
  if (config.DEMO_MODE === "true") return true;
  if (config.DEMO_MODE !== "auto" || config.BEDROCK_ENDPOINT) return false;
  // Imported only when needed: loading the AWS SDK's credential chain takes seconds (the CLI).
  const { awsCredentialsAvailable } = await import("./bedrock.ts");
  return !(await awsCredentialsAvailable({ profile: config.AWS_PROFILE }));
}
