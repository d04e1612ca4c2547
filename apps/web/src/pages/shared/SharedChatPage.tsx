import { Trans, useLingui } from "@lingui/react/macro";
import { Eye, MessageSquarePlus, Sparkles } from "lucide-react";
import { useParams } from "react-router";
import { LazyMarkdown } from "../../components/chat/LazyMarkdown.tsx";
import { UserMessage } from "../../components/chat/Message.tsx";
import { Alert } from "../../components/ui/Alert.tsx";
import { ButtonLink } from "../../components/ui/Button.tsx";
import { errorCode, errorMessage } from "../../lib/errors.ts";
import { formatDateTime } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

/**
 * A chat someone shared: read-only, for anyone with the link, signed in or not. It reads
 * sessions.shared and nothing else (no balance, no models): reading spends no one's credits.
 */
export function SharedChatPage() {
  const { t } = useLingui();
  const { shareId = "" } = useParams();
  const shared = trpc.sessions.shared.useQuery({ shareId }, { retry: false });
  const gone = errorCode(shared.error) === "NOT_FOUND" || errorCode(shared.error) === "BAD_REQUEST";
  useDocumentTitle(
    shared.data
      ? t`${{ title: shared.data.title }} (shared)`
      : gone
        ? t`Shared chat not found`
        : t`Shared chat`,
  );

  return (
    <div className="min-h-dvh bg-canvas">
      <header className="border-b border-border bg-surface/60">
        <div className="mx-auto flex max-w-3xl items-center gap-3 px-4 py-3 sm:px-6">
          <span className="inline-flex items-center gap-1.5 rounded-full bg-surface-muted px-2.5 py-1 text-xs font-semibold text-fg-muted">
            <Eye aria-hidden="true" className="size-3.5" />
            <Trans>Shared chat · read-only</Trans>
          </span>
          <ButtonLink to="/chat" variant="secondary" className="ml-auto h-9 px-3">
            <MessageSquarePlus aria-hidden="true" className="size-4" />
            <Trans>Open Parley</Trans>
          </ButtonLink>
        </div>
      </header>
      <main className="mx-auto max-w-3xl px-4 py-6 sm:px-6">
        {shared.isPending ? (
          <p role="status" className="py-12 text-center text-sm text-fg-muted">
            <Trans>Loading the shared chat…</Trans>
          </p>
        ) : gone ? (
          <div className="py-16 text-center">
            <h1 className="text-xl font-semibold tracking-tight text-fg">
              <Trans>This shared chat isn't available</Trans>
            </h1>
            <p className="mt-2 text-sm text-fg-muted">
              <Trans>Its owner may have stopped sharing it, or the link is wrong.</Trans>
            </p>
          </div>
        ) : shared.isError ? (
          <Alert title={t`Couldn't load the shared chat`}>{errorMessage(shared.error)}</Alert>
        ) : (
          <article aria-labelledby="shared-title" className="space-y-6">
            <div>
              <h1 id="shared-title" className="text-2xl font-semibold tracking-tight text-fg">
                {shared.data.title}
              </h1>
              <p className="mt-1 text-sm text-fg-muted">
                <SharedAt date={shared.data.sharedAt} />
              </p>
            </div>
            <section aria-label={t`Messages`} className="space-y-6">
              {shared.data.messages.map((message, index) =>
                message.role === "user" ? (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a shared chat's messages carry no ids and never reorder.
                  <UserMessage key={index} content={message.content} createdAt={message.createdAt} />
                ) : (
                  // biome-ignore lint/suspicious/noArrayIndexKey: as above.
                  <article key={index} aria-label={t`Answer`} className="flex gap-3">
                    <span
                      aria-hidden="true"
                      className="mt-0.5 grid size-8 shrink-0 place-items-center rounded-full bg-brand text-on-brand"
                    >
                      <Sparkles className="size-4" />
                    </span>
                    <div className="min-w-0 flex-1">
                      {message.content ? (
                        <LazyMarkdown text={message.content} />
                      ) : (
                        <p className="text-sm text-fg-muted italic">
                          <Trans>No text in this answer.</Trans>
                        </p>
                      )}
                      {message.status !== "complete" && (
                        <p className="mt-1 text-xs text-fg-muted">
                          {message.status === "failed" ? (
                            <Trans>This answer failed.</Trans>
                          ) : (
                            <Trans>This answer was cut short.</Trans>
                          )}
                        </p>
                      )}
                    </div>
                  </article>
                ),
              )}
            </section>
          </article>
        )}
      </main>
    </div>
  );
}

function SharedAt({ date }: { date: Date }) {
  const sharedAt = formatDateTime(date);
  return (
    <Trans>
      Shared <time dateTime={date.toISOString()}>{sharedAt}</time>
    </Trans>
  );
}
