// Spans through the OpenTelemetry API: a no-op until the server starts the SDK (when
// OTEL_EXPORTER_OTLP_ENDPOINT is set), so domain packages trace without knowing whether anyone
// listens.
import { type Attributes, type Span, SpanStatusCode, trace } from "@opentelemetry/api";

export const tracer = trace.getTracer("parley");

/** Runs `work` inside a span named `name` (the active span while it runs), recording a failure. */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      span.end();
    }
  });
}
