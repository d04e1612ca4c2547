import { Trans, useLingui } from "@lingui/react/macro";
import { ArrowDown, MessageSquarePlus } from "lucide-react";
import { useEffect, useState } from "react";
import { useParams } from "react-router";
import { AnswerRating } from "../../components/chat/AnswerRating.tsx";
import { ChatActionsButton } from "../../components/chat/ChatActionsButton.tsx";
import { ChatHeader } from "../../components/chat/ChatHeader.tsx";
import { Composer } from "../../components/chat/Composer.tsx";
import { ChatSettingsButton } from "../../components/chat/LazyChatSettings.tsx";
import { preloadMarkdown } from "../../components/chat/LazyMarkdown.tsx";
import { creditBlock, OutOfCredits, TurnErrorNotice } from "../../components/chat/LazyNotices.tsx";
import { MessageTimeline } from "../../components/chat/MessageTimeline.tsx";
import { Alert } from "../../components/ui/Alert.tsx";
import { ButtonLink } from "../../components/ui/Button.tsx";
import { QueryError } from "../../components/ui/QueryError.tsx";
import { ScrollArea } from "../../components/ui/ScrollArea.tsx";
import { useAttachmentDraft } from "../../lib/chat/attachment-draft.ts";
import { isBusy, type TurnAction, useChatStreams, useLiveTurn } from "../../lib/chat/chat-streams.ts";
import { affordableAlternative } from "../../lib/chat/credits.ts";
import { useChatConfig } from "../../lib/chat/use-chat-config.ts";
import { useStickToBottom } from "../../lib/chat/use-stick-to-bottom.ts";
import { errorCode, errorMessage } from "../../lib/errors.ts";
import { isUuid } from "../../lib/ids.ts";
import { trpc } from "../../lib/trpc.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

export function ConversationPage() {
  const { sessionId = "" } = useParams();
  // A fresh component per chat: scroll position, draft and model choice belong to one chat.
  return <Conversation key={sessionId} sessionId={sessionId} />;
}

function Conversation({ sessionId }: { sessionId: string }) {
  const valid = isUuid(sessionId);
  const { t } = useLingui();
  const { setup, query: configQuery } = useChatConfig();
  const detail = trpc.sessions.get.useQuery({ sessionId }, { enabled: valid });
  const ratings = trpc.feedback.forSession.useQuery({ sessionId }, { enabled: valid });
  const balance = trpc.accounting.balance.useQuery(undefined, { staleTime: 10_000 });
  const live = useLiveTurn(sessionId);
  const streams = useChatStreams();
  const utils = trpc.useUtils();
  const switchBranch = trpc.sessions.switchBranch.useMutation({
    onSuccess: () => utils.sessions.get.invalidate({ sessionId }),
  });
  const { scrollRef, contentRef, atBottom, scrollToBottom } = useStickToBottom();
  const [draft, setDraft] = useState("");
  const [modelChoice, setModelChoice] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const attachments = useAttachmentDraft(setup?.attachments);
  const notFound = !valid || errorCode(detail.error) === "NOT_FOUND";
  useDocumentTitle(notFound ? t`Chat not found` : (detail.data?.session.title ?? t`Chat`));

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
    if (!outcome) setAnnouncement(t`Parley is writing an answer.`);
    else if (outcome.kind === "done")
      setAnnouncement(outcome.status === "complete" ? t`Answer complete.` : t`Answer stopped.`);
    else {
      const reason = outcome.message;
      setAnnouncement(t`The answer failed: ${reason}`);
    }
  }, [liveKey, outcome, t]);

  // A message the server refused (nothing was stored: no credits, too long…) goes back into the
  // composer, so switching model or shortening it is all it takes to send it again.
  const refused = outcome?.kind === "error" && live?.turnId === null && !live.action ? live.content : null;
  const restoreAttachments = attachments.restore;
  useEffect(() => {
    if (!refused) return;
    setDraft((current) => current || refused);
    restoreAttachments();
  }, [refused, restoreAttachments]);

  // Esc stops the answer being written (a dialog or an edit box that handles Esc first wins).
  useEffect(() => {
    if (!busy) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented) void streams.stop(sessionId);
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [busy, streams, sessionId]);

  const send = (content: string, action?: TurnAction, attachmentIds?: string[]) => {
    streams.send({
      sessionId,
      content,
      attachmentIds,
      modelId: modelId || undefined,
      knownMessageIds: new Set((stored ?? []).map((m) => m.id)),
      action,
    });
    scrollToBottom();
  };

  if (notFound) return <ChatNotFound demo={setup?.demo ?? false} />;

  const available = balance.data?.available;
  const blocked = busy ? undefined : creditBlock(setup, modelId, available, setModelChoice);
  const retry = busy || blocked ? undefined : send;
  const paymentError =
    live?.outcome?.kind === "error" && live.outcome.code === "PAYMENT_REQUIRED" ? live.outcome : null;
  const cheaper =
    paymentError && setup
      ? affordableAlternative(
          setup.models,
          setup.prices,
          live?.modelId ?? modelId,
          paymentError.available,
          setup.minAnswerTokens,
        )
      : undefined;

  return (
    <>
      <ChatHeader
        title={session?.title ?? (detail.isPending ? t`Loading chat…` : t`Chat`)}
        demo={setup?.demo ?? false}
      >
        <ChatSettingsButton sessionId={sessionId} settings={detail.data?.settings} />
        {session && <ChatActionsButton sessionId={sessionId} shareId={session.shareId} />}
      </ChatHeader>
      <div className="relative min-h-0 flex-1">
        <ScrollArea
          as="section"
          ref={scrollRef}
          aria-label={t`Messages`}
          className="h-full overflow-y-auto overscroll-contain focus-visible:outline-offset-[-2px]"
        >
          <div ref={contentRef} className="mx-auto w-full max-w-3xl space-y-6 px-4 py-6 sm:px-6">
            {detail.isPending ? (
              <ConversationSkeleton />
            ) : detail.isError && !stored ? (
              <QueryError query={detail} title={t`Couldn't load this chat`} />
            ) : (
              <MessageTimeline
                stored={stored ?? []}
                live={live}
                setup={setup}
                onSend={retry}
                onSwitch={
                  busy || switchBranch.isPending
                    ? undefined
                    : (messageId) => switchBranch.mutate({ messageId })
                }
                outputCapOf={(messageId) => streams.outputCapOf(messageId)}
                rate={(messageId) => (
                  <AnswerRating
                    sessionId={sessionId}
                    messageId={messageId}
                    current={ratings.data?.find((r) => r.messageId === messageId)}
                  />
                )}
              />
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
                    live.outcome.code === "NOT_FOUND" || !retry
                      ? undefined
                      : // A refused new message's files are back in the composer: they go again too.
                        () => retry(live.content, live.action, live.action ? undefined : attachments.take())
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
            <Trans>Jump to latest</Trans>
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
              blocked={paymentError ? undefined : blocked}
              onSend={(content) => {
                send(content, undefined, attachments.take());
                setDraft("");
              }}
              onStop={() => void streams.stop(sessionId)}
              autoFocus
              attachments={attachments}
            />
          ) : configQuery.isError ? (
            <Alert title={t`The chat settings couldn't be loaded`}>{errorMessage(configQuery.error)}</Alert>
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

function ConversationSkeleton() {
  const { t } = useLingui();
  return (
    <div role="status" aria-label={t`Loading messages`} className="space-y-6">
      <div className="ml-auto h-12 w-2/3 animate-pulse rounded-2xl bg-surface-muted motion-reduce:animate-none" />
      <div className="flex gap-3">
        <div className="size-8 shrink-0 animate-pulse rounded-full bg-surface-muted motion-reduce:animate-none" />
        <div className="h-24 flex-1 animate-pulse rounded-2xl bg-surface-muted motion-reduce:animate-none" />
      </div>
    </div>
  );
}

function ChatNotFound({ demo }: { demo: boolean }) {
  const { t } = useLingui();
  return (
    <>
      <ChatHeader title={t`Chat not found`} demo={demo} />
      <div className="grid flex-1 place-items-center p-6">
        <div className="max-w-sm text-center">
          <p className="text-sm font-semibold text-brand-text">404</p>
          <h2 className="mt-2 text-xl font-semibold tracking-tight text-fg">
            <Trans>This chat doesn't exist</Trans>
          </h2>
          <p className="mt-2 text-sm text-fg-muted">
            <Trans>It may have been deleted, or the link is wrong.</Trans>
          </p>
          <ButtonLink to="/chat" className="mt-6">
            <MessageSquarePlus aria-hidden="true" className="size-4" />
            <Trans>Start a new chat</Trans>
          </ButtonLink>
        </div>
      </div>
    </>
  );
}
