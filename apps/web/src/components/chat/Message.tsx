import { CircleAlert, CircleSlash, RotateCcw, Sparkles } from "lucide-react";
import { useDeferredValue } from "react";
import { formatCredits, formatDateTime, formatNumber, formatUsd } from "../../lib/format.ts";
import { CopyButton } from "../CopyButton.tsx";
import { Spinner } from "../Spinner.tsx";
import { LazyMarkdown } from "./LazyMarkdown.tsx";
import { ToolCallView } from "./ToolCallView.tsx";

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
}

export function UserMessage({ content, createdAt }: { content: string; createdAt: Date | null }) {
  return (
    <article aria-label="Your message" className="flex justify-end">
      <div className="max-w-[85%] rounded-2xl rounded-br-md bg-brand-soft px-4 py-2.5 text-[0.9375rem] leading-7 break-words whitespace-pre-wrap text-fg sm:max-w-[75%]">
        {content}
        {createdAt && (
          <span className="sr-only">
            , sent <time dateTime={createdAt.toISOString()}>{formatDateTime(createdAt)}</time>
          </span>
        )}
      </div>
    </article>
  );
}

interface AssistantMessageProps {
  answer: AnswerView;
  /** Resends the question this answers; absent when there is none or sending is impossible now. */
  onRetry?: (() => void) | undefined;
}

export function AssistantMessage({ answer, onRetry }: AssistantMessageProps) {
  const streaming = answer.status === "streaming";
  // Markdown is re-parsed as tokens arrive; deferring lets typing and scrolling stay smooth.
  const content = useDeferredValue(answer.content);
  const waiting = streaming && answer.content === "" && answer.toolCalls.length === 0;

  return (
    <article
      aria-label={streaming ? "Answer being written" : "Answer"}
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
        {answer.toolCalls.map((call) => (
          <ToolCallView
            key={call.id}
            name={call.name}
            args={call.args}
            result={call.result}
            running={streaming}
          />
        ))}
        {/* Space is reserved for the first line, so the first token does not push the page. */}
        <div className="min-h-7">
          {waiting ? (
            <span className="inline-flex h-7 items-center gap-1">
              <span className="sr-only">Parley is writing</span>
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
            <p className="text-sm text-fg-muted italic">No text in this answer.</p>
          ) : null}
        </div>
        <AnswerFooter answer={answer} onRetry={onRetry} />
      </div>
    </article>
  );
}

function AnswerFooter({ answer, onRetry }: AssistantMessageProps) {
  if (answer.status === "streaming") {
    return (
      <p className="mt-1 flex h-8 items-center gap-2 text-xs text-fg-muted">
        <Spinner className="size-3.5" />
        {answer.reconnecting ? "Connection lost, reconnecting…" : "Writing…"}
      </p>
    );
  }
  const tokens =
    answer.inputTokens !== null && answer.outputTokens !== null
      ? `${formatNumber(answer.inputTokens)} tokens in, ${formatNumber(answer.outputTokens)} out`
      : null;

  return (
    <div className="mt-1 space-y-2">
      {answer.status === "failed" && (
        <p className="flex items-start gap-1.5 text-sm text-danger">
          <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span>{answer.error ? `This answer failed: ${answer.error}` : "This answer failed."}</span>
        </p>
      )}
      <div className="flex min-h-8 flex-wrap items-center gap-x-3 gap-y-1 text-xs text-fg-muted">
        {answer.status === "incomplete" && (
          <span className="inline-flex items-center gap-1 rounded-full bg-amber-500/10 px-2 py-0.5 font-semibold text-amber-800 ring-1 ring-amber-500/25 ring-inset dark:text-amber-300">
            <CircleSlash aria-hidden="true" className="size-3" />
            Incomplete
          </span>
        )}
        {answer.status === "failed" && (
          <span className="inline-flex items-center gap-1 rounded-full bg-danger-soft px-2 py-0.5 font-semibold text-danger ring-1 ring-danger/25 ring-inset">
            <CircleAlert aria-hidden="true" className="size-3" />
            Failed
          </span>
        )}
        {answer.credits !== null && (
          <span
            className="font-medium text-fg tabular-nums"
            title={[tokens, formatUsd(answer.credits)].filter(Boolean).join(" · ")}
          >
            <span className="sr-only">Cost: </span>
            {formatCredits(answer.credits)}
          </span>
        )}
        {tokens && <span className="hidden tabular-nums sm:inline">{tokens}</span>}
        <span>{answer.modelName}</span>
        <span className="ml-auto flex items-center gap-1">
          {answer.content && <CopyButton text={answer.content} label="Copy answer" />}
          {onRetry && (answer.status === "incomplete" || answer.status === "failed") && (
            <button
              type="button"
              onClick={onRetry}
              className="inline-flex items-center gap-1.5 rounded-md border border-border bg-surface px-2 py-1 text-xs font-semibold text-fg shadow-xs transition-colors hover:bg-surface-muted"
            >
              <RotateCcw aria-hidden="true" className="size-3.5" />
              Retry
            </button>
          )}
        </span>
      </div>
    </div>
  );
}
