export * from "./chat/chat-service.ts";
export type { ChatEvent, SequencedEvent } from "./chat/events.ts";
export { RedisTurnBus } from "./chat/redis-turn-bus.ts";
export * from "./chat/sessions.ts";
export { LocalTurnBus, type TurnBus } from "./chat/turn-bus.ts";
export * from "./configuration.ts";
export * from "./errors.ts";
export { type Conversation, toConversation } from "./history.ts";
export { BedrockClients, type BedrockSettings } from "./models.ts";
