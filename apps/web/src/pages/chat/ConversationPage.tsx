import { ArrowDown, MessageSquarePlus, RefreshCw } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { useParams } from "react-router";
import { Alert } from "../../components/Alert.tsx";
import { Button, ButtonLink } from "../../components/Button.tsx";
import { ChatHeader } from "../../components/chat/ChatHeader.tsx";
import { Composer } from "../../components/chat/Composer.tsx";
import { preloadMarkdown } from "../../components/chat/LazyMarkdown.tsx";
import { OutOfCredits, TurnErrorNotice } from "../../components/chat/LazyNotices.tsx";
import { type AnswerView, AssistantMessage, UserMessage } from "../../components/chat/Message.tsx";
import { ScrollArea } from "../../components/ScrollArea.tsx";
import type { StoredMessage } from "../../lib/api-types.ts";
import { isBusy, type LiveTurn, useChatStreams, useLiveTurn } from "../../lib/chat/chat-streams.ts";
import { affordableAlternative } from "../../lib/chat/credits.ts";
import { type ChatSetup, useChatConfig } from "../../lib/chat/use-chat-config.ts";
import { useStickToBottom } from "../../lib/chat/use-stick-to-bottom.ts";
import { errorCode, errorMessage } from "../../lib/errors.ts";
import { trpc } from "../../lib/trpc.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function ConversationPage() {
  const { sessionId = "" } = useParams();
  // A fresh component per chat: scroll position, draft and model choice belong to one chat.
  return <Conversation key={sessionId} sessionId={sessionId} />;
}

function Conversation({ sessionId }: { sessionId: string }) {
  const valid = UUID.test(sessionId);
  const { setup, query: configQuery } = useChatConfig();
  const detail = trpc.sessions.get.useQuery({ sessionId }, { enabled: valid });
  const balance = trpc.accounting.balance.useQuery(undefined, { staleTime: 10_000 });
  const live = useLiveTurn(sessionId);
  const streams = useChatStreams();
  const { scrollRef, contentRef, atBottom, scrollToBottom } = useStickToBottom();
  const [draft, setDraft] = useState("");
  const [modelChoice, setModelChoice] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const notFound = !valid || errorCode(detail.error) === "NOT_FOUND";
  useDocumentTitle(notFound ? "Chat not found" : (detail.data?.session.title ?? "Chat"));

  const session = detail.data?.session;
  const stored = detail.data?.messages;
  const busy = live ? isBusy(live) : false;
  // An answer is coming: fetch its renderer now rather than at the first token. A stored answer
  // loads it by rendering; an empty chat never does.
  useEffect(() => {
    if (busy) preloadMarkdown();
  }, [busy]);
  const modelId =
    modelChoice ??
    (session && setup?.models.some((m) => m.id === session.modelId)
      ? session.modelId
      : setup?.defaultModelId) ??
    "";

  // Tells screen-reader users when an answer starts and ends (the tokens themselves are not read).
  const liveKey = live?.key;
  const outcome = live?.outcome;
  useEffect(() => {
    if (liveKey === undefined) return;
    if (!outcome) setAnnouncement("Parley is writing an answer.");
    else if (outcome.kind === "done")
      setAnnouncement(outcome.status === "complete" ? "Answer complete." : "Answer stopped.");
    else setAnnouncement(`The answer failed: ${outcome.message}`);
  }, [liveKey, outcome]);

  // A message the server refused (nothing was stored: no credits, too long…) goes back into the
  // composer, so switching model or shortening it is all it takes to send it again.
  const refused = outcome?.kind === "error" && live?.turnId === null ? live.content : null;
  useEffect(() => {
    if (refused) setDraft((current) => current || refused);
  }, [refused]);

  const send = (content: string) => {
    streams.send({
      sessionId,
      content,
      modelId: modelId || undefined,
      knownMessageIds: new Set((stored ?? []).map((m) => m.id)),
    });
    scrollToBottom();
  };

  if (notFound) return <ChatNotFound demo={setup?.demo ?? false} />;

  const available = balance.data?.available;
  const outOfCredits = available === 0 && !busy;
  const retry = busy || outOfCredits ? undefined : send;
  const paymentError =
    live?.outcome?.kind === "error" && live.outcome.code === "PAYMENT_REQUIRED" ? live.outcome : null;
  const cheaper =
    paymentError && setup
      ? affordableAlternative(setup.models, setup.prices, live?.modelId ?? modelId, paymentError.available)
      : undefined;

  return (
    <>
      <ChatHeader
        title={session?.title ?? (detail.isPending ? "Loading chat…" : "Chat")}
        demo={setup?.demo ?? false}
      />
      <div className="relative min-h-0 flex-1">
        <ScrollArea
          as="section"
          ref={scrollRef}
          aria-label="Messages"
          className="h-full overflow-y-auto overscroll-contain focus-visible:outline-offset-[-2px]"
        >
          <div ref={contentRef} className="mx-auto w-full max-w-3xl space-y-6 px-4 py-6 sm:px-6">
            {detail.isPending ? (
              <ConversationSkeleton />
            ) : detail.isError && !stored ? (
              <div className="space-y-3">
                <Alert title="Couldn't load this chat">{errorMessage(detail.error)}</Alert>
                <Button
                  variant="secondary"
                  loading={detail.isFetching}
                  icon={<RefreshCw aria-hidden="true" className="size-4" />}
                  onClick={() => void detail.refetch()}
                >
                  Try again
                </Button>
              </div>
            ) : (
              <MessageTimeline stored={stored ?? []} live={live} setup={setup} onRetry={retry} />
            )}
            {live?.outcome?.kind === "error" &&
              live.outcome.messageId === null &&
              (paymentError ? (
                <OutOfCredits
                  available={paymentError.available}
                  cheaperModel={
                    cheaper && {
                      name: cheaper.displayName,
                      choose: () => {
                        setModelChoice(cheaper.id);
                        streams.dismiss(sessionId);
                      },
                    }
                  }
                  onDismiss={() => streams.dismiss(sessionId)}
                />
              ) : (
                <TurnErrorNotice
                  error={live.outcome}
                  onRetry={
                    live.outcome.code === "NOT_FOUND" || !retry ? undefined : () => retry(live.content)
                  }
                  onDismiss={() => streams.dismiss(sessionId)}
                />
              ))}
          </div>
        </ScrollArea>
        {!atBottom && (
          <button
            type="button"
            onClick={scrollToBottom}
            className="absolute bottom-3 left-1/2 inline-flex -translate-x-1/2 items-center gap-1.5 rounded-full border border-border bg-surface px-3 py-1.5 text-xs font-semibold text-fg shadow-lg hover:bg-surface-muted"
          >
            <ArrowDown aria-hidden="true" className="size-3.5" />
            Jump to latest
          </button>
        )}
      </div>
      <div className="shrink-0 border-t border-border bg-canvas/80 px-3 pt-3 pb-3 sm:px-6">
        <div className="mx-auto w-full max-w-3xl">
          {setup ? (
            <Composer
              value={draft}
              onChange={setDraft}
              models={setup.models}
              prices={setup.prices}
              modelId={modelId}
              onModelChange={setModelChoice}
              maxChars={setup.maxMessageChars}
              streaming={busy}
              stopping={live?.stopping ?? false}
              blocked={outOfCredits && !paymentError ? <OutOfCredits available={0} /> : undefined}
              onSend={(content) => {
                send(content);
                setDraft("");
              }}
              onStop={() => void streams.stop(sessionId)}
              autoFocus
            />
          ) : configQuery.isError ? (
            <Alert title="The chat settings couldn't be loaded">{errorMessage(configQuery.error)}</Alert>
          ) : (
            <div className="h-[6.5rem] animate-pulse rounded-2xl bg-surface-muted motion-reduce:animate-none" />
          )}
        </div>
      </div>
      <p role="status" className="sr-only">
        {announcement}
      </p>
    </>
  );
}

interface TimelineProps {
  stored: StoredMessage[];
  live: LiveTurn | undefined;
  setup: ChatSetup | undefined;
  /** Resends a message; absent while an answer is being written. */
  onRetry: ((content: string) => void) | undefined;
}

function storedAnswer(message: StoredMessage, setup: ChatSetup | undefined): AnswerView {
  return {
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
  };
}

/** The stored messages, then the answer being written (until the refetched chat holds it). */
function MessageTimeline({ stored, live, setup, onRetry }: TimelineProps) {
  const items = useMemo(() => {
    const previousQuestion = (index: number) => {
      for (let i = index - 1; i >= 0; i -= 1) {
        const message = stored[i];
        if (message?.role === "user") return message.content;
      }
      return undefined;
    };
    return stored.map((message, index) => ({ message, question: previousQuestion(index) }));
  }, [stored]);

  const showLive = live !== undefined && live.phase !== "settled";
  const fresh = live ? stored.filter((m) => !live.knownMessageIds.has(m.id)) : [];
  const userStored =
    live?.userMessageId != null
      ? stored.some((m) => m.id === live.userMessageId)
      : fresh.some((m) => m.role === "user");
  const answerId = live?.outcome?.messageId;
  const answerStored = answerId
    ? stored.some((m) => m.id === answerId)
    : !live?.attached && fresh.some((m) => m.role === "assistant");
  const answerHasNoMessage = live?.outcome?.kind === "error" && live.outcome.messageId === null;

  if (stored.length === 0 && !showLive) {
    return <p className="py-12 text-center text-sm text-fg-muted">No messages yet. Say hello below.</p>;
  }

  const last = stored[stored.length - 1];
  const unanswered = !live && last?.role === "user";

  return (
    <>
      {items.map(({ message, question }) =>
        message.role === "user" ? (
          <UserMessage key={message.id} content={message.content} createdAt={message.createdAt} />
        ) : (
          <AssistantMessage
            key={message.id}
            answer={storedAnswer(message, setup)}
            onRetry={onRetry && question !== undefined ? () => onRetry(question) : undefined}
          />
        ),
      )}
      {showLive && live && !userStored && <UserMessage content={live.content} createdAt={null} />}
      {showLive && live && !answerStored && !answerHasNoMessage && (
        <AssistantMessage key={`live-${live.key}`} answer={liveAnswer(live, setup)} />
      )}
      {unanswered && last && onRetry && (
        <div className="flex items-center justify-end gap-2 text-xs text-fg-muted">
          This message has no answer yet.
          <button
            type="button"
            onClick={() => onRetry(last.content)}
            className="rounded-md border border-border bg-surface px-2 py-1 font-semibold text-fg shadow-xs hover:bg-surface-muted"
          >
            Send again
          </button>
        </div>
      )}
    </>
  );
}

function ConversationSkeleton() {
  return (
    <div role="status" aria-label="Loading messages" className="space-y-6">
      <div className="ml-auto h-12 w-2/3 animate-pulse rounded-2xl bg-surface-muted motion-reduce:animate-none" />
      <div className="flex gap-3">
        <div className="size-8 shrink-0 animate-pulse rounded-full bg-surface-muted motion-reduce:animate-none" />
        <div className="h-24 flex-1 animate-pulse rounded-2xl bg-surface-muted motion-reduce:animate-none" />
      </div>
    </div>
  );
}

function ChatNotFound({ demo }: { demo: boolean }) {
  return (
    <>
      <ChatHeader title="Chat not found" demo={demo} />
      <div className="grid flex-1 place-items-center p-6">
        <div className="max-w-sm text-center">
          <p className="text-sm font-semibold text-brand-text">404</p>
          <h2 className="mt-2 text-xl font-semibold tracking-tight text-fg">This chat doesn't exist</h2>
          <p className="mt-2 text-sm text-fg-muted">It may have been deleted, or the link is wrong.</p>
          <ButtonLink to="/chat" className="mt-6">
            <MessageSquarePlus aria-hidden="true" className="size-4" />
            Start a new chat
          </ButtonLink>
        </div>
      </div>
    </>
  );
}
