import { Trans, useLingui } from "@lingui/react/macro";
import { Pencil } from "lucide-react";
import { type ReactNode, Suspense, useMemo, useState } from "react";
import type { StoredMessage } from "../../lib/api-types.ts";
import type { LiveTurn, TurnAction } from "../../lib/chat/chat-streams.ts";
import type { ChatSetup } from "../../lib/chat/use-chat-config.ts";
import { LazyEditQuestion } from "./LazyNotices.tsx";
import { type AnswerView, AssistantMessage, UserMessage } from "./Message.tsx";
import { OpenToolCallsContext, useOpenToolCallsState } from "./open-tool-calls.ts";
import { VersionSwitcher } from "./VersionSwitcher.tsx";

interface TimelineProps {
  stored: StoredMessage[];
  live: LiveTurn | undefined;
  setup: ChatSetup | undefined;
  /** Sends, edits or regenerates; absent while an answer is being written (or no credits). */
  onSend: ((content: string, action?: TurnAction) => void) | undefined;
  /** Shows another version; absent while an answer is being written. */
  onSwitch: ((messageId: string) => void) | undefined;
  outputCapOf: (messageId: string) => number | undefined;
  /** The thumbs for a stored answer. */
  rate: (messageId: string) => ReactNode;
}

function storedAnswer(message: StoredMessage, setup: ChatSetup | undefined, outputCap?: number): AnswerView {
  return {
    outputCap,
    content: message.content,
    status: message.status,
    toolCalls: message.toolCalls.map((c) => ({ id: c.id, name: c.name, args: c.args, result: c.result })),
    credits: message.credits,
    inputTokens: message.inputTokens,
    outputTokens: message.outputTokens,
    modelName: setup?.displayName(message.modelId) ?? message.modelId ?? "",
    error: message.error,
    createdAt: message.createdAt,
  };
}

function liveAnswer(turn: LiveTurn, setup: ChatSetup | undefined): AnswerView {
  const outcome = turn.outcome;
  return {
    content: turn.text,
    status: !outcome ? "streaming" : outcome.kind === "done" ? outcome.status : "failed",
    toolCalls: turn.toolCalls,
    credits: outcome ? outcome.creditsCharged : null,
    inputTokens: turn.usage?.inputTokens ?? null,
    outputTokens: turn.usage?.outputTokens ?? null,
    modelName: setup?.displayName(turn.modelId) ?? turn.modelId ?? "",
    error: outcome?.kind === "error" ? outcome.message : null,
    createdAt: null,
    reconnecting: !turn.connected,
    outputCap: turn.outputCap,
  };
}

/**
 * The stored messages of the active branch, then the answer being written (until the refetched
 * chat holds it). An edit or a regeneration hides the versions it replaces at once.
 */
export function MessageTimeline({ stored, live, setup, onSend, onSwitch, outputCapOf, rate }: TimelineProps) {
  const { t } = useLingui();
  const [editing, setEditing] = useState<string | null>(null);
  const openToolCalls = useOpenToolCallsState();
  const showLive = live !== undefined && live.phase !== "settled";
  const cutAfter = showLive ? live.action?.cutAfter : undefined;
  const items = useMemo(() => {
    const cutIndex = cutAfter ? stored.findIndex((m) => m.id === cutAfter) : -1;
    // Above the cut, everything; below it, only what this turn stored (not in knownMessageIds).
    const visible =
      cutAfter === undefined || !live
        ? stored
        : stored.filter((m, i) => i <= cutIndex || !live.knownMessageIds.has(m.id));
    let question: StoredMessage | undefined;
    return visible.map((message) => {
      const item = { message, question };
      if (message.role === "user") question = message;
      return item;
    });
  }, [stored, cutAfter, live]);
  const shown = items.map((i) => i.message);

  const fresh = live ? shown.filter((m) => !live.knownMessageIds.has(m.id)) : [];
  const userStored =
    live?.action?.kind === "regenerate" ||
    (live?.userMessageId != null
      ? shown.some((m) => m.id === live.userMessageId)
      : fresh.some((m) => m.role === "user"));
  const answerId = live?.outcome?.messageId;
  const answerStored = answerId
    ? shown.some((m) => m.id === answerId)
    : !live?.attached && fresh.some((m) => m.role === "assistant");
  const answerHasNoMessage = live?.outcome?.kind === "error" && live.outcome.messageId === null;

  if (shown.length === 0 && !showLive) {
    return <p className="py-12 text-center text-sm text-fg-muted">No messages yet. Say hello below.</p>;
  }

  const last = shown[shown.length - 1];
  const unanswered = !live && last?.role === "user";
  const versions = (message: StoredMessage) => (
    <VersionSwitcher siblingIds={message.siblingIds} current={message.id} onSwitch={onSwitch} />
  );

  return (
    <OpenToolCallsContext value={openToolCalls}>
      {items.map(({ message, question }) =>
        message.role === "user" ? (
          editing === message.id && onSend ? (
            <Suspense key={message.id} fallback={null}>
              <LazyEditQuestion
                initial={message.content}
                maxChars={setup?.maxMessageChars ?? Number.POSITIVE_INFINITY}
                onCancel={() => setEditing(null)}
                onSave={(content) => {
                  setEditing(null);
                  onSend(content, { kind: "edit", messageId: message.id, cutAfter: message.parentId });
                }}
              />
            </Suspense>
          ) : (
            <UserMessage
              key={message.id}
              content={message.content}
              createdAt={message.createdAt}
              attachments={message.attachments}
              actions={
                <>
                  {versions(message)}
                  {onSend && (
                    <button
                      type="button"
                      aria-label={t`Edit message`}
                      onClick={() => setEditing(message.id)}
                      className="grid size-6 place-items-center rounded-md text-fg-muted hover:bg-surface-muted hover:text-fg"
                    >
                      <Pencil aria-hidden="true" className="size-3.5" />
                    </button>
                  )}
                </>
              }
            />
          )
        ) : (
          <AssistantMessage
            key={message.id}
            answer={storedAnswer(message, setup, outputCapOf(message.id))}
            versions={versions(message)}
            rating={rate(message.id)}
            onRetry={
              onSend && question
                ? () =>
                    onSend(question.content, {
                      kind: "regenerate",
                      messageId: message.id,
                      cutAfter: message.parentId,
                    })
                : undefined
            }
          />
        ),
      )}
      {showLive && live && !userStored && <UserMessage content={live.content} createdAt={null} />}
      {showLive && live && !answerStored && !answerHasNoMessage && (
        <AssistantMessage key={`live-${live.key}`} answer={liveAnswer(live, setup)} />
      )}
      {unanswered && last && onSend && (
        <div className="flex items-center justify-end gap-2 text-xs text-fg-muted">
          <Trans>This message has no answer yet.</Trans>
          <button
            type="button"
            onClick={() =>
              onSend(last.content, { kind: "regenerate", messageId: last.id, cutAfter: last.id })
            }
            className="rounded-md border border-border bg-surface px-2 py-1 font-semibold text-fg shadow-xs hover:bg-surface-muted"
          >
            <Trans>Send again</Trans>
          </button>
        </div>
      )}
    </OpenToolCallsContext>
  );
}
