import {
  AccessDeniedException,
  ThrottlingException,
  ValidationException,
} from "@aws-sdk/client-bedrock-runtime";
import { describe, expect, it } from "vitest";
import { describeModelError } from "./errors.ts";

const $metadata = { httpStatusCode: 400 };
// Bedrock's words, typographic apostrophe included.
const ON_DEMAND =
  "Invocation of model ID anthropic.claude-3-5-sonnet-20241022-v2:0 with on-demand throughput isn’t supported. " +
  "Retry your request with the ID or ARN of an inference profile that contains this model.";

describe("describeModelError", () => {
  it("tells the operator to use an inference profile when on-demand throughput is not supported", () => {
    const failure = describeModelError(new ValidationException({ message: ON_DEMAND, $metadata }));
    expect(failure).toMatchObject({ code: "INFERENCE_PROFILE_REQUIRED", retryable: false });
    expect(failure.message).toMatch(/inference profile/);
    expect(failure.message).toMatch(/BEDROCK_MODEL_ARNS/);
    // The plain-apostrophe spelling too.
    expect(
      describeModelError(new ValidationException({ message: ON_DEMAND.replace("’", "'"), $metadata })).code,
    ).toBe("INFERENCE_PROFILE_REQUIRED");
  });

  it("leaves other validation errors a generic MODEL_ERROR", () => {
    const failure = describeModelError(
      new ValidationException({ message: "messages: field required", $metadata }),
    );
    expect(failure).toMatchObject({ code: "MODEL_ERROR", retryable: false });
  });

  it("maps the SDK's exceptions by name", () => {
    expect(describeModelError(new AccessDeniedException({ message: "no", $metadata })).code).toBe(
      "ACCESS_DENIED",
    );
    expect(describeModelError(new ThrottlingException({ message: "slow down", $metadata }))).toMatchObject({
      code: "THROTTLED",
      retryable: true,
    });
    const missing = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    expect(describeModelError(missing).code).toBe("CREDENTIALS_MISSING");
    expect(
      describeModelError(new Error("getaddrinfo ENOTFOUND bedrock-runtime.xx-nowhere-1.amazonaws.com")).code,
    ).toBe("UNKNOWN_REGION");
  });
});
