import { randomBytes } from "node:crypto";
import { DomainError } from "@parley/core";
import { ChatSession, type EntityManager } from "@parley/db";
import { activeBranch } from "./branches.ts";
import { ownedSession } from "./sessions.ts";

/** 24 random bytes: 192 bits, as 32 URL-safe characters. */
const SHARE_ID_BYTES = 24;
/** A share id as the URL carries it; anything else is refused before the database is asked. */
export const SHARE_ID_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** What anyone holding the link sees: the conversation, and nothing about its owner or its cost. */
export interface SharedChat {
  title: string;
  modelId: string;
  createdAt: Date;
  sharedAt: Date;
  messages: SharedMessage[];
}

export interface SharedMessage {
  role: "user" | "assistant";
  content: string;
  status: "complete" | "incomplete" | "failed";
  modelId: string | null;
  createdAt: Date;
}

/**
 * Turns on the chat's read-only link and returns its id; a chat already shared keeps its id (and
 * its link), so sharing twice hands out the same URL.
 */
export async function shareSession(em: EntityManager, userId: string, sessionId: string) {
  const session = await ownedSession(em, userId, sessionId);
  if (!session.shareId) {
    session.shareId = randomBytes(SHARE_ID_BYTES).toString("base64url");
    session.sharedAt = new Date();
    await em.flush();
  }
  return { shareId: session.shareId, sharedAt: session.sharedAt ?? new Date() };
}

/** Turns the link off at once: every process reads the share id from the database on each request. */
export async function unshareSession(em: EntityManager, userId: string, sessionId: string) {
  const session = await ownedSession(em, userId, sessionId);
  session.shareId = null;
  session.sharedAt = null;
  await em.flush();
  return { id: session.id };
}

/** The most messages a shared page shows (the newest of the branch). */
const SHARED_MESSAGE_LIMIT = 1000;

/** The shared chat behind a link, or NOT_FOUND (never shared, revoked, deleted, or malformed). */
export async function readSharedSession(em: EntityManager, shareId: string): Promise<SharedChat> {
  const session = SHARE_ID_PATTERN.test(shareId)
    ? await em.findOne(ChatSession, { shareId, deletedAt: null })
    : null;
  if (!session?.sharedAt)
    throw new DomainError("NOT_FOUND", "This shared chat does not exist or is no longer shared.");
  // The branch the owner shows (their chosen versions), as they see it.
  const messages = (await activeBranch(em, session.id, SHARED_MESSAGE_LIMIT)).map((entry) => entry.message);
  return {
    title: session.title,
    modelId: session.modelId,
    createdAt: session.createdAt,
    sharedAt: session.sharedAt,
    messages: messages.map((m) => ({
      role: m.role,
      content: m.content,
      status: m.status,
      modelId: m.modelId ?? null,
      createdAt: m.createdAt,
    })),
  };
}
