import { trace } from "@opentelemetry/api";
import { pino } from "pino";

export type Logger = pino.Logger;

/** Structured JSON logs on stdout. Secrets that might appear in logged objects are redacted. */
export function createLogger(level: string, base: Record<string, string | number> = {}): Logger {
  return pino({
    level,
    // With PARLEY_WORKERS > 1, each line also says which process wrote it.
    base: { service: "parley", ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: ["*.password", "*.newPassword", "*.currentPassword", "*.token", "*.authorization", "*.cookie"],
    // Lines written inside a traced span carry its ids, so a log line leads to its trace.
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
  });
}
