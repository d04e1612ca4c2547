import type { Database } from "@parley/db";
import type { AttachmentSettings } from "../attachments/attachments.ts";
import type { ModelSpec } from "../configuration.ts";
import type { BedrockClients } from "../models.ts";
import type { ChatLogger } from "./chat-logger.ts";
import type { TurnBus } from "./turn-bus.ts";

export interface ChatServiceOptions {
  db: Database;
  clients: BedrockClients;
  bus: TurnBus;
  /** The offered models; the first is the default. */
  models: ModelSpec[];
  fallbackModelId?: string | undefined;
  systemPrompt: string;
  maxMessageChars: number;
  /** Answers one user may have running at once (CHAT_MAX_CONCURRENT_TURNS). */
  maxConcurrentTurns: number;
  reservationTtlSeconds: number;
  /**
   * Tokens arriving within this window go out as one event (fewer, larger SSE events); the window
   * widens while many answers run on this machine (coalesceWindowMs).
   */
  coalesceMs: number;
  /**
   * Server processes sharing this machine's cores (PARLEY_WORKERS; default 1): the coalescing
   * window follows the answers streaming machine-wide, about this process's times this.
   */
  processesOnMachine?: number | undefined;
  logger: ChatLogger;
  /** Answers come from the built-in fake Bedrock server (shown to users). */
  demo?: boolean | undefined;
  /** Limits on files and images (defaults: DEFAULT_ATTACHMENT_SETTINGS). */
  attachments?: AttachmentSettings | undefined;
}
