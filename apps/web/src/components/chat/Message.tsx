import { Trans, useLingui } from "@lingui/react/macro";
import { CircleAlert, CircleSlash, RotateCcw, Sparkles } from "lucide-react";
import { lazy, type ReactNode, Suspense, useDeferredValue } from "react";
import type { StoredMessage } from "../../lib/api-types.ts";
import { formatCredits, formatDateTime, formatNumber, formatUsd } from "../../lib/format.ts";
import { CopyButton } from "../CopyButton.tsx";
import { Spinner } from "../ui/Spinner.tsx";
import { SentAttachments } from "./LazyAttachments.tsx";
import { LazyMarkdown } from "./LazyMarkdown.tsx";

// Few answers call tools: the view of a tool call loads with the first one.
const ToolCallView = lazy(async () => ({ default: (await import("./ToolCallView.tsx")).ToolCallView }));

export interface AnswerView {
  content: string;
  status: "streaming" | "complete" | "incomplete" | "failed";
  toolCalls: { id: string; name: string; args: unknown; result: string | null }[];
  /** Null until the answer is charged. */
  credits: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  modelName: string;
  error: string | null;
  createdAt: Date | null;
  /** The stream's connection dropped and is being resumed. */
  reconnecting?: boolean;
  /** The balance held only this many output tokens: the answer may be cut short. */
  outputCap?: number | null | undefined;
}

export function UserMessage({
  content,
  createdAt,
  attachments = [],
  actions,
}: {
  content: string;
  createdAt: Date | null;
  attachments?: StoredMessage["attachments"];
  /** Under the message: its versions and the edit button. */
  actions?: ReactNode;
}) {
  const { t } = useLingui();
  return (
    <article aria-label={t`Your message`} className="flex flex-col items-end gap-1">
      <SentAttachments attachments={attachments} />
      <div className="max-w-[85%] rounded-2xl rounded-br-md bg-brand-soft px-4 py-2.5 text-[0.9375rem] leading-7 break-words whitespace-pre-wrap text-fg sm:max-w-[75%]">
        {content}
        {createdAt && (
          <span className="sr-only">
            <SentAt date={createdAt} />
          </span>
        )}
      </div>
      {actions && <div className="flex items-center gap-1">{actions}</div>}
    </article>
  );
}

interface AssistantMessageProps {
  answer: AnswerView;
  /** Answers the question again in place; absent when there is none or sending is impossible now. */
  onRetry?: (() => void) | undefined;
  /** The thumbs of a stored answer (AnswerRating). */
  rating?: ReactNode;
  /** The versions of this answer (`‹ 2/3 ›`). */
  versions?: ReactNode;
}

export function AssistantMessage({ answer, onRetry, rating, versions }: AssistantMessageProps) {
  const { t } = useLingui();
  const streaming = answer.status === "streaming";
  // Markdown is re-parsed as tokens arrive; deferring lets typing and scrolling stay smooth.
  const content = useDeferredValue(answer.content);
  const waiting = streaming && answer.content === "" && answer.toolCalls.length === 0;

  return (
    <article
      aria-label={streaming ? t`Answer being written` : t`Answer`}
      aria-busy={streaming || undefined}
      className="flex gap-3"
    >
      <span
        aria-hidden="true"
        className="mt-0.5 grid size-8 shrink-0 place-items-center rounded-full bg-brand text-on-brand shadow-sm shadow-brand/30"
      >
        <Sparkles className="size-4" />
      </span>
      <div className="min-w-0 flex-1">
        {answer.toolCalls.length > 0 && (
          <Suspense fallback={null}>
            {answer.toolCalls.map((call) => (
              <ToolCallView
                key={call.id}
                id={call.id}
                name={call.name}
                args={call.args}
                result={call.result}
                running={streaming}
              />
            ))}
          </Suspense>
        )}
        {/* Space is reserved for the first line, so the first token does not push the page. */}
        <div className="min-h-7">
          {waiting ? (
            <span className="inline-flex h-7 items-center gap-1">
              <span className="sr-only">
                <Trans>Parley is writing</Trans>
              </span>
              {[0, 1, 2].map((i) => (
                <span
                  key={i}
                  aria-hidden="true"
                  className="size-1.5 rounded-full bg-fg-muted motion-safe:animate-[typing_1.2s_ease-in-out_infinite]"
                  style={{ animationDelay: `${i * 0.15}s` }}
                />
              ))}
            </span>
          ) : content ? (
            <LazyMarkdown text={content} />
          ) : answer.status === "complete" ? (
            <p className="text-sm text-fg-muted italic">
              <Trans>No text in this answer.</Trans>
            </p>
          ) : null}
        </div>
        <AnswerFooter answer={answer} onRetry={onRetry} rating={rating} versions={versions} />
      </div>
    </article>
  );
}

function AnswerFooter({ answer, onRetry, rating, versions }: AssistantMessageProps) {
  const { t } = useLingui();
  const outputCap = answer.outputCap ? formatNumber(answer.outputCap) : null;
  const capped = outputCap ? (
    <p className="text-xs text-amber-800 dark:text-amber-300">
      <Trans>Your credits cover about {outputCap} tokens of answer, so it may be cut short.</Trans>
    </p>
  ) : null;
  if (answer.status === "streaming") {
    return (
      <>
        <p className="mt-1 flex h-8 items-center gap-2 text-xs text-fg-muted">
          <Spinner className="size-3.5" />
          {answer.reconnecting ? <Trans>Connection lost, reconnecting…</Trans> : <Trans>Writing…</Trans>}
        </p>
        {capped}
      </>
    );
  }
  const inputTokens = answer.inputTokens === null ? null : formatNumber(answer.inputTokens);
  const outputTokens = answer.outputTokens === null ? null : formatNumber(answer.outputTokens);
  const error = answer.error;
  const tokens =
    inputTokens !== null && outputTokens !== null ? t`${inputTokens} tokens in, ${outputTokens} out` : null;

  return (
    <div className="mt-1 space-y-2">
      {capped}
      {answer.status === "failed" && (
        <p className="flex items-start gap-1.5 text-sm text-danger">
          <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span>{error ? t`This answer failed: ${error}` : t`This answer failed.`}</span>
        </p>
      )}
      <div className="flex min-h-8 flex-wrap items-center gap-x-3 gap-y-1 text-xs text-fg-muted">
        {answer.status === "incomplete" && (
          <span className="inline-flex items-center gap-1 rounded-full bg-amber-500/10 px-2 py-0.5 font-semibold text-amber-800 ring-1 ring-amber-500/25 ring-inset dark:text-amber-300">
            <CircleSlash aria-hidden="true" className="size-3" />
            <Trans>Incomplete</Trans>
          </span>
        )}
        {answer.status === "failed" && (
          <span className="inline-flex items-center gap-1 rounded-full bg-danger-soft px-2 py-0.5 font-semibold text-danger ring-1 ring-danger/25 ring-inset">
            <CircleAlert aria-hidden="true" className="size-3" />
            <Trans>Failed</Trans>
          </span>
        )}
        {answer.credits !== null && (
          <span
            className="font-medium text-fg tabular-nums"
            title={[tokens, formatUsd(answer.credits)].filter(Boolean).join(" · ")}
          >
            <span className="sr-only">
              <Trans>Cost:</Trans>{" "}
            </span>
            {formatCredits(answer.credits)}
          </span>
        )}
        {tokens && <span className="hidden tabular-nums sm:inline">{tokens}</span>}
        <span>{answer.modelName}</span>
        <span className="ml-auto flex items-center gap-1">
          {versions}
          {rating}
          {answer.content && <CopyButton text={answer.content} label={t`Copy answer`} />}
          {onRetry && (
            <button
              type="button"
              onClick={onRetry}
              className="inline-flex items-center gap-1.5 rounded-md border border-border bg-surface px-2 py-1 text-xs font-semibold text-fg shadow-xs transition-colors hover:bg-surface-muted"
            >
              <RotateCcw aria-hidden="true" className="size-3.5" />
              {answer.status === "complete" ? <Trans>Regenerate</Trans> : <Trans>Retry</Trans>}
            </button>
          )}
        </span>
      </div>
    </div>
  );
}

/** ", sent 30 Nov 2026, 11:02" after a question, for screen readers. */
function SentAt({ date }: { date: Date }) {
  const sentAt = formatDateTime(date);
  return (
    <Trans>
      , sent <time dateTime={date.toISOString()}>{sentAt}</time>
    </Trans>
  );
}
