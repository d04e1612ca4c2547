// Fake AWS Bedrock Runtime (Converse + ConverseStream over h2c) for offline tests of the real
// ChatBedrockConverse -> BedrockRuntimeClient path.
//
//   const fake = await startFakeBedrock();
//   const client = new BedrockRuntimeClient({ endpoint: fake.url, region: "us-east-1",
//     credentials: { accessKeyId: "x", secretAccessKey: "y" } });
//   const model = new ChatBedrockConverse({ model: "anthropic.claude-3-5-haiku-20241022-v1:0",
//     region: "us-east-1", client });
//   await model.invoke("Hi [[fake tokens=5 rate=50]]");   // "word1 word2 word3 word4 word5"
//
// Directive keys, in the latest user text (else the server default, see behaviours.ts):
//   tokens=N  rate=N (tokens/s, 0 = unpaced)  delta=N | bigdelta  text=<url-encoded answer>
//   tool=NAME input=<url-encoded JSON>
//   throttle=N  fail-after=N  no-stop  error=<ExceptionName>[:<status>]
//   echo (answers with the request's system prompt, temperature and maxTokens)
// cachePoint blocks are honoured as Bedrock does (prompt-cache.ts): usage then reports
// cacheReadInputTokens and cacheWriteInputTokens.
export { type Answer, fakeText, fakeWords, planAnswer, TOOL_INPUT_PIECE } from "./answer.ts";
export {
  chooseBehaviour,
  completeBehaviour,
  DEFAULT_BEHAVIOUR,
  DirectiveError,
  type FakeBehaviour,
  type FakeError,
  findDirective,
  formatDirective,
  parseBehaviourSpec,
} from "./behaviours.ts";
export { decodeFrame, encodeEvent, encodeException } from "./event-stream.ts";
export { type CacheUsage, PromptCache } from "./prompt-cache.ts";
export {
  type FakeBedrock,
  type FakeBedrockOptions,
  type Operation,
  type RecordedRequest,
  startFakeBedrock,
} from "./server.ts";
