import { pino } from "pino";

export type Logger = pino.Logger;

/** Structured JSON logs on stdout. Secrets that might appear in logged objects are redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "parley" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: ["*.password", "*.newPassword", "*.currentPassword", "*.token", "*.authorization", "*.cookie"],
  });
}
