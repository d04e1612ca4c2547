export {
  type AttachmentSettings,
  Attachments,
  DEFAULT_ATTACHMENT_SETTINGS,
} from "./attachments/attachments.ts";
export * from "./attachments/formats.ts";
export { cleanName, formatBytes, type UploadedFile } from "./attachments/inspect.ts";
export type { AttachmentInfo, StoredAttachment } from "./attachments/store.ts";
export { switchBranch } from "./chat/branches.ts";
export * from "./chat/chat-service.ts";
export * from "./chat/chat-settings.ts";
export type { ChatEvent, SequencedEvent } from "./chat/events.ts";
export * from "./chat/export.ts";
export * from "./chat/feedback.ts";
export { plainText } from "./chat/plain-text.ts";
export * from "./chat/presets.ts";
export { RedisTurnBus } from "./chat/redis-turn-bus.ts";
export * from "./chat/search.ts";
export * from "./chat/sessions.ts";
export * from "./chat/sharing.ts";
export { LocalTurnBus, type TurnBus } from "./chat/turn-bus.ts";
export * from "./configuration.ts";
export * from "./errors.ts";
export { type Conversation, toConversation } from "./history.ts";
export { BedrockClients, type BedrockSettings } from "./models.ts";
export { closeToolSandbox } from "./sandbox/calculator-pool.ts";
export { instrumentLangChain } from "./telemetry.ts";
