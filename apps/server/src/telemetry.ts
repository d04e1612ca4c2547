import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { instrumentLangChain } from "@parley/agent";
import type { Config } from "./config.ts";

export interface Telemetry {
  /** Whether spans are being exported. */
  tracing: boolean;
  /** Flushes what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * Tracing with OpenTelemetry, exported over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (Phoenix,
 * Langfuse, Jaeger, any collector). Off, and free, when it is unset: the API's spans stay no-ops.
 * Spans: each HTTP request, each tRPC procedure, each chat turn with its graph's nodes and LLM
 * calls (OpenInference attributes), each ledger call.
 */
export function startTelemetry(config: Config): Telemetry {
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return { tracing: false, shutdown: async () => {} };
  const sdk = new NodeSDK({
    serviceName: config.OTEL_SERVICE_NAME,
    traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, "")}/v1/traces` }),
    // Traces only: metrics are Prometheus's (/metrics), logs are pino's (with trace ids).
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
    autoDetectResources: false,
  });
  sdk.start();
  instrumentLangChain();
  return { tracing: true, shutdown: () => sdk.shutdown() };
}
