// What the fake does with one request, and how a test scripts it.
//
// A request's behaviour comes from a directive in the user's latest text, written
//   [[fake tokens=5 rate=50 delta=2 ...]]
// or, when that text has none, from the server's default (startFakeBedrock({ behaviour }) /
// setDefault). A directive replaces the server default entirely: keys it leaves out take the
// built-in values of DEFAULT_BEHAVIOUR, so a test's directive means the same whatever the default.

export interface FakeError {
  /** Error type sent in x-amzn-ErrorType; the SDK turns it into an error of that name. */
  name: string;
  status: number;
  /** The error's message (default: "fake-bedrock: scripted <name>"). */
  message?: string;
}

export interface FakeBehaviour {
  /** Length of a text answer, in tokens (one word each). */
  tokens: number;
  /** Tokens per second; 0 sends everything as fast as possible. */
  rate: number;
  /** Tokens per contentBlockDelta event; "all" sends the whole answer in one delta. */
  delta: number | "all";
  /** Answer with exactly this text (split into tokens at whitespace, which is kept) instead of words. */
  text?: string;
  /**
   * Answer with what the request set: its system prompt, temperature and maximum answer length
   * ("system=<text> temperature=<n|unset> maxTokens=<n|unset>"), so a test sees them arrive.
   */
  echo?: boolean;
  /** Answer with a call to this tool (unless the last message already carries its result). */
  tool?: { name: string; input: unknown };
  /** The first N requests with an identical body fail with 429 ThrottlingException. */
  throttle: number;
  /** After this many tokens a stream fails with a modelStreamErrorException frame. */
  failAfter?: number;
  /** End the stream after the content, with neither messageStop nor metadata. */
  noStop: boolean;
  /** Answer the whole request with this HTTP error. */
  error?: FakeError;
}

export const DEFAULT_BEHAVIOUR: Readonly<FakeBehaviour> = Object.freeze({
  tokens: 20,
  rate: 0,
  delta: 1,
  throttle: 0,
  noStop: false,
});

/** A malformed directive; the server answers it with 400 ValidationException and this message. */
export class DirectiveError extends Error {
  override name = "DirectiveError";
}

// Bedrock's usual status for each error type, used when `error=Name` gives no status.
const ERROR_STATUS: Record<string, number> = {
  AccessDeniedException: 403,
  ConflictException: 400,
  InternalServerException: 500,
  ModelErrorException: 424,
  ModelNotReadyException: 429,
  ModelTimeoutException: 408,
  ResourceNotFoundException: 404,
  ServiceQuotaExceededException: 400,
  ServiceUnavailableException: 503,
  ThrottlingException: 429,
  ValidationException: 400,
};

const DIRECTIVE = /\[\[fake(?:\s+([^\]]*?))?\s*\]\]/g;

/** The key=value text inside the last `[[fake ...]]` in `text`, or undefined when there is none. */
export function findDirective(text: string): string | undefined {
  let spec: string | undefined;
  for (const match of text.matchAll(DIRECTIVE)) spec = match[1] ?? "";
  return spec;
}

function count(key: string, value: string | undefined, min = 0): number {
  const n = Number(value);
  if (value === undefined || value === "" || !Number.isInteger(n) || n < min) {
    throw new DirectiveError(`fake-bedrock: ${key} needs an integer >= ${min}, got ${value ?? "nothing"}`);
  }
  return n;
}

/** Parses the body of a directive ("tokens=5 rate=10 bigdelta") into the keys it sets. */
export function parseBehaviourSpec(spec: string): Partial<FakeBehaviour> {
  const out: Partial<FakeBehaviour> = {};
  let toolName: string | undefined;
  let input: unknown;
  for (const word of spec.split(/\s+/).filter((w) => w.length > 0)) {
    const eq = word.indexOf("=");
    const key = eq < 0 ? word : word.slice(0, eq);
    const value = eq < 0 ? undefined : word.slice(eq + 1);
    switch (key) {
      case "tokens":
        out.tokens = count(key, value);
        break;
      case "rate": {
        const n = Number(value);
        if (value === undefined || !Number.isFinite(n) || n < 0) {
          throw new DirectiveError(`fake-bedrock: rate needs a number >= 0, got ${value ?? "nothing"}`);
        }
        out.rate = n;
        break;
      }
      case "delta":
        out.delta = value === "all" ? "all" : count(key, value, 1);
        break;
      case "bigdelta":
        out.delta = "all";
        break;
      case "text":
        try {
          out.text = decodeURIComponent(value ?? "");
        } catch {
          throw new DirectiveError(`fake-bedrock: text must be URL-encoded, got ${value ?? "nothing"}`);
        }
        break;
      case "tool":
        if (!value || !/^[A-Za-z0-9_-]+$/.test(value)) {
          throw new DirectiveError(`fake-bedrock: tool needs a name of letters, digits, _ or -`);
        }
        toolName = value;
        break;
      case "input":
        try {
          input = JSON.parse(decodeURIComponent(value ?? ""));
        } catch {
          throw new DirectiveError(`fake-bedrock: input must be URL-encoded JSON, got ${value ?? "nothing"}`);
        }
        break;
      case "throttle":
        out.throttle = count(key, value);
        break;
      case "fail-after":
        out.failAfter = count(key, value);
        break;
      case "no-stop":
        out.noStop = true;
        break;
      case "echo":
        out.echo = true;
        break;
      case "error": {
        // Name[:status[:message]], the message URL-encoded (it may hold spaces and colons).
        const [name, status, message] = (value ?? "").split(":");
        if (!name || !/^[A-Za-z]+$/.test(name)) {
          throw new DirectiveError(
            `fake-bedrock: error needs Name[:status[:message]], got ${value ?? "nothing"}`,
          );
        }
        out.error = {
          name,
          status: status === undefined ? (ERROR_STATUS[name] ?? 400) : count("error status", status, 400),
        };
        if (message !== undefined) {
          try {
            out.error.message = decodeURIComponent(message);
          } catch {
            throw new DirectiveError(`fake-bedrock: an error message must be URL-encoded, got ${message}`);
          }
        }
        break;
      }
      default:
        throw new DirectiveError(`fake-bedrock: unknown directive key "${key}"`);
    }
  }
  if (input !== undefined && toolName === undefined) {
    throw new DirectiveError("fake-bedrock: input= needs tool=");
  }
  if (toolName !== undefined) out.tool = { name: toolName, input: input ?? {} };
  return out;
}

/** A complete behaviour: `partial` over the built-in defaults. */
export function completeBehaviour(partial: Partial<FakeBehaviour>): FakeBehaviour {
  return { ...DEFAULT_BEHAVIOUR, ...partial };
}

/**
 * The behaviour for a request whose latest user text is `userText`: its directive if it has one,
 * else `serverDefault`. Throws DirectiveError for a malformed directive.
 */
export function chooseBehaviour(
  userText: string | undefined,
  serverDefault: Partial<FakeBehaviour>,
): { behaviour: FakeBehaviour; source: "directive" | "default" } {
  const spec = userText === undefined ? undefined : findDirective(userText);
  if (spec === undefined) return { behaviour: completeBehaviour(serverDefault), source: "default" };
  return { behaviour: completeBehaviour(parseBehaviourSpec(spec)), source: "directive" };
}

/** The directive text for `behaviour`, e.g. "[[fake tokens=5 rate=50]]", for tests to put in a prompt. */
export function formatDirective(behaviour: Partial<FakeBehaviour>): string {
  const parts: string[] = [];
  if (behaviour.tokens !== undefined) parts.push(`tokens=${behaviour.tokens}`);
  if (behaviour.rate !== undefined) parts.push(`rate=${behaviour.rate}`);
  if (behaviour.text !== undefined) parts.push(`text=${encodeURIComponent(behaviour.text)}`);
  if (behaviour.delta !== undefined)
    parts.push(behaviour.delta === "all" ? "bigdelta" : `delta=${behaviour.delta}`);
  if (behaviour.tool) {
    parts.push(
      `tool=${behaviour.tool.name}`,
      `input=${encodeURIComponent(JSON.stringify(behaviour.tool.input))}`,
    );
  }
  if (behaviour.throttle !== undefined) parts.push(`throttle=${behaviour.throttle}`);
  if (behaviour.failAfter !== undefined) parts.push(`fail-after=${behaviour.failAfter}`);
  if (behaviour.noStop) parts.push("no-stop");
  if (behaviour.echo) parts.push("echo");
  if (behaviour.error) {
    const { name, status, message } = behaviour.error;
    parts.push(`error=${name}:${status}${message === undefined ? "" : `:${encodeURIComponent(message)}`}`);
  }
  return parts.length === 0 ? "[[fake]]" : `[[fake ${parts.join(" ")}]]`;
}
