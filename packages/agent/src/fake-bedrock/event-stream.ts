import { EventStreamCodec, type MessageHeaders } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/core/serde";

// The SDK decodes ConverseStream with this same codec, so using it (rather than hand-rolling the
// prelude, header encoding and the two CRC32s) guarantees frames it can read byte for byte.
const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Event names of the ConverseStreamOutput union, as the SDK expects them in `:event-type`. */
export type StreamEventName =
  | "messageStart"
  | "contentBlockStart"
  | "contentBlockDelta"
  | "contentBlockStop"
  | "messageStop"
  | "metadata";

/**
 * Exception members of the ConverseStreamOutput union, as the SDK expects them in `:exception-type`
 * (camel case: the union member name, not the error class name). The SDK throws the matching
 * error class (ModelStreamErrorException, ThrottlingException, ...) out of the stream iterator.
 */
export type StreamExceptionName =
  | "internalServerException"
  | "modelStreamErrorException"
  | "validationException"
  | "throttlingException"
  | "serviceUnavailableException";

function frame(headers: MessageHeaders, payload: object): Uint8Array {
  return codec.encode({ headers, body: fromUtf8(JSON.stringify(payload)) });
}

function stringHeader(value: string): { type: "string"; value: string } {
  return { type: "string", value };
}

/** One `:message-type=event` frame carrying `payload` as its JSON body. */
export function encodeEvent(name: StreamEventName, payload: object): Uint8Array {
  return frame(
    {
      ":message-type": stringHeader("event"),
      ":event-type": stringHeader(name),
      ":content-type": stringHeader("application/json"),
    },
    payload,
  );
}

/** One `:message-type=exception` frame; extra fields (e.g. originalStatusCode) join the JSON body. */
export function encodeException(
  name: StreamExceptionName,
  message: string,
  extra: Record<string, unknown> = {},
): Uint8Array {
  return frame(
    {
      ":message-type": stringHeader("exception"),
      ":exception-type": stringHeader(name),
      ":content-type": stringHeader("application/json"),
    },
    { message, ...extra },
  );
}

/** Decodes one whole frame; the tests use it to check the encoder without the SDK in between. */
export function decodeFrame(bytes: Uint8Array): { headers: Record<string, string>; payload: unknown } {
  const message = codec.decode(bytes);
  const headers: Record<string, string> = {};
  for (const [key, header] of Object.entries(message.headers)) headers[key] = String(header.value);
  return { headers, payload: JSON.parse(toUtf8(message.body)) };
}
