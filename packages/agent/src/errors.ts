/** What went wrong with a model call, in words a user can act on. */
export interface ModelFailure {
  code:
    | "CREDENTIALS_MISSING"
    | "ACCESS_DENIED"
    | "INFERENCE_PROFILE_REQUIRED"
    | "UNKNOWN_REGION"
    | "THROTTLED"
    | "MODEL_UNAVAILABLE"
    | "MODEL_ERROR"
    | "STOPPED";
  message: string;
  /** Worth trying the fallback model. */
  retryable: boolean;
}

/**
 * Bedrock's ValidationException for a model offered only through inference profiles: "Invocation of
 * model ID … with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an
 * inference profile that contains this model." (AWS writes a typographic apostrophe.)
 */
const ON_DEMAND_UNSUPPORTED = /on-demand throughput isn.t supported|ARN of an inference profile/i;

export function describeModelError(error: unknown): ModelFailure {
  const name = error instanceof Error ? error.name : "";
  const text = error instanceof Error ? error.message : String(error);
  if (name === "AbortError" || /aborted/i.test(text)) {
    return { code: "STOPPED", message: "The answer was stopped.", retryable: false };
  }
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(text)) {
    return {
      code: "CREDENTIALS_MISSING",
      message: "The server has no AWS credentials for Bedrock. An operator must configure them.",
      retryable: false,
    };
  }
  if (name === "AccessDeniedException" || name === "UnrecognizedClientException") {
    return {
      code: "ACCESS_DENIED",
      message:
        "AWS refused access to this model. An operator must enable it in Bedrock or grant the permission.",
      retryable: false,
    };
  }
  if (name === "ValidationException" && ON_DEMAND_UNSUPPORTED.test(text)) {
    return {
      code: "INFERENCE_PROFILE_REQUIRED",
      message:
        "This model cannot be called on demand in the configured region; it needs an inference profile. " +
        "An operator must list it in BEDROCK_MODEL_ARNS by its inference profile id or ARN " +
        "(e.g. us.anthropic.… instead of anthropic.…).",
      retryable: false,
    };
  }
  if (
    /getaddrinfo|ENOTFOUND|Invalid region|region/i.test(text) &&
    /region|ENOTFOUND|getaddrinfo/i.test(text)
  ) {
    return {
      code: "UNKNOWN_REGION",
      message: "The configured AWS region cannot be reached.",
      retryable: false,
    };
  }
  if (name === "ThrottlingException" || name === "ServiceQuotaExceededException") {
    return {
      code: "THROTTLED",
      message: "The model is busy right now. Please try again shortly.",
      retryable: true,
    };
  }
  if (
    name === "ServiceUnavailableException" ||
    name === "InternalServerException" ||
    name === "ModelNotReadyException" ||
    name === "ModelTimeoutException"
  ) {
    return {
      code: "MODEL_UNAVAILABLE",
      message: "The model is unavailable right now. Please try again.",
      retryable: true,
    };
  }
  return { code: "MODEL_ERROR", message: "The model failed while answering.", retryable: false };
}
