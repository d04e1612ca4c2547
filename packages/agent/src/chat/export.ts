import { ChatMessage, type ChatSession, type EntityManager } from "@parley/db";
import { type MessageView, messageViews, ownedSession } from "./sessions.ts";

export const EXPORT_FORMATS = ["markdown", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A file for the browser to save (or a program to write): its name, type and text. */
export interface ChatExport {
  filename: string;
  mimeType: string;
  content: string;
}

/** The JSON export: every stored field of the chat and its messages, in a fixed key order. */
export interface ChatExportDocument {
  format: "parley.chat";
  version: 1;
  exportedAt: string;
  session: { id: string; title: string; modelId: string; createdAt: string; lastActivityAt: string };
  messages: (Omit<MessageView, "createdAt" | "siblingIds"> & { createdAt: string })[];
}

/**
 * The caller's chat, every message oldest first (every version: `parentId` gives the tree), as
 * Markdown or JSON.
 */
export async function exportSession(
  em: EntityManager,
  input: { userId: string; sessionId: string; format: ExportFormat },
  now = new Date(),
): Promise<ChatExport> {
  const session = await ownedSession(em, input.userId, input.sessionId);
  const rows = await em.find(
    ChatMessage,
    { session: session.id },
    { orderBy: { createdAt: "asc", id: "asc" } },
  );
  const messages = await messageViews(em, rows);
  const base = fileNameOf(session.title);
  if (input.format === "json") {
    return {
      filename: `${base}.json`,
      mimeType: "application/json",
      content: `${JSON.stringify(exportDocument(session, messages, now), null, 2)}\n`,
    };
  }
  return { filename: `${base}.md`, mimeType: "text/markdown", content: toMarkdown(session, messages, now) };
}

function exportDocument(session: ChatSession, messages: MessageView[], now: Date): ChatExportDocument {
  return {
    format: "parley.chat",
    version: 1,
    exportedAt: now.toISOString(),
    session: {
      id: session.id,
      title: session.title,
      modelId: session.modelId,
      createdAt: session.createdAt.toISOString(),
      lastActivityAt: session.lastActivityAt.toISOString(),
    },
    messages: messages.map((m) => ({
      id: m.id,
      parentId: m.parentId,
      role: m.role,
      content: m.content,
      status: m.status,
      modelId: m.modelId,
      toolCalls: m.toolCalls,
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      credits: m.credits,
      error: m.error,
      attachments: m.attachments,
      createdAt: m.createdAt.toISOString(),
    })),
  };
}

/** Readable on its own: the title, then each message under a heading naming who said it and when. */
function toMarkdown(session: ChatSession, messages: MessageView[], now: Date): string {
  const lines = [
    `# ${session.title}`,
    "",
    `- Model: ${session.modelId}`,
    `- Started: ${utc(session.createdAt)}`,
    `- Exported: ${utc(now)}`,
    "",
  ];
  for (const m of messages) {
    const who = m.role === "user" ? "User" : `Assistant${m.modelId ? ` (${m.modelId})` : ""}`;
    lines.push("---", "", `## ${who} · ${utc(m.createdAt)}`, "", m.content.trimEnd() || "_(empty)_", "");
    // The files are not in the export (only their names): it stays a readable text file.
    if (m.attachments.length > 0) {
      lines.push(`_Attached: ${m.attachments.map((file) => file.name).join(", ")}_`, "");
    }
    if (m.status !== "complete") {
      lines.push(
        `_(This answer ${m.status === "failed" ? "failed" : "was cut short"}${m.error ? `: ${m.error}` : ""}.)_`,
        "",
      );
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A file name from the title: lower-case letters, digits and dashes, never empty. */
function fileNameOf(title: string): string {
  const slug = title
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return slug || "chat";
}
