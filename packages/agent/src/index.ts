export * from "./chat/chat-service.ts";
export * from "./chat/sessions.ts";
export type { ChatEvent, SequencedEvent, Turn } from "./chat/turn.ts";
export * from "./configuration.ts";
export * from "./errors.ts";
export { BedrockClients, type BedrockSettings } from "./models.ts";
export { closeToolSandbox } from "./sandbox/calculator-pool.ts";
