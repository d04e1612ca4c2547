import { CircleAlert, Coins, RotateCcw, X } from "lucide-react";
import { Link } from "react-router";
import type { TurnOutcome } from "../../lib/chat/chat-streams.ts";
import { formatCredits } from "../../lib/format.ts";

type TurnError = Extract<TurnOutcome, { kind: "error" }>;

interface OutOfCreditsProps {
  /** What is left, when known (a PAYMENT_REQUIRED error says; the balance says otherwise). */
  available?: number | undefined;
  /** A cheaper model could still answer: the person can pick it. */
  cheaperModel?: { name: string; choose: () => void } | undefined;
  onDismiss?: () => void;
}

/** The friendly dead end: no credits for this answer, and what to do about it. */
export function OutOfCredits({ available, cheaperModel, onDismiss }: OutOfCreditsProps) {
  const nothingLeft = available === undefined || available === 0;
  return (
    <section
      role="alert"
      aria-labelledby="out-of-credits-title"
      className="relative flex gap-3 rounded-2xl border border-amber-500/30 bg-amber-500/8 p-4 text-sm"
    >
      <span className="grid size-9 shrink-0 place-items-center rounded-full bg-amber-500/15 text-amber-800 dark:text-amber-300">
        <Coins aria-hidden="true" className="size-4.5" />
      </span>
      <div className="min-w-0 flex-1 space-y-1">
        <h2 id="out-of-credits-title" className="font-semibold text-fg">
          {nothingLeft ? "You've run out of credits" : "Not enough credits for this answer"}
        </h2>
        <p className="text-fg-muted">
          {nothingLeft
            ? "Your messages are safe, but Parley can't answer until more credits are added to your account."
            : `Before answering, Parley sets aside enough credits for the longest answer the model can give. You have ${formatCredits(available)} available, which isn't enough for this model.`}{" "}
          {cheaperModel ? `Try a cheaper model such as ${cheaperModel.name}, or ask` : "Ask"} an administrator
          to top up your credits.
        </p>
        <p className="flex flex-wrap items-center gap-x-4 gap-y-2 pt-1">
          {cheaperModel && (
            <button
              type="button"
              onClick={cheaperModel.choose}
              className="rounded-md border border-border bg-surface px-2.5 py-1 text-xs font-semibold text-fg shadow-xs hover:bg-surface-muted"
            >
              Switch to {cheaperModel.name}
            </button>
          )}
          <Link
            to="/profile#credits"
            className="font-semibold text-brand-text underline-offset-2 hover:underline"
          >
            See your credits and usage
          </Link>
        </p>
      </div>
      {onDismiss && (
        <button
          type="button"
          onClick={onDismiss}
          aria-label="Dismiss"
          className="-m-1 self-start rounded-md p-1 text-fg-muted hover:bg-amber-500/10 hover:text-fg"
        >
          <X aria-hidden="true" className="size-4" />
        </button>
      )}
    </section>
  );
}

const TITLES: Record<string, string> = {
  MODEL_ERROR: "The model couldn't finish this answer",
  ACCESS_DENIED: "This model isn't available to Parley right now",
  INFERENCE_PROFILE_REQUIRED: "This model needs an inference profile",
  THROTTLED: "The model is busy",
  STREAM_LOST: "We lost track of this answer",
  CONFLICT: "An answer is already being written in this chat",
  NOT_FOUND: "This chat no longer exists",
  BAD_REQUEST: "This message couldn't be sent",
  NETWORK: "The connection was lost",
};

/** An answer that ended in an error the chat does not show by itself (no stored message). */
export function TurnErrorNotice({
  error,
  onRetry,
  onDismiss,
}: {
  error: TurnError;
  onRetry?: (() => void) | undefined;
  onDismiss: () => void;
}) {
  return (
    <div
      role="alert"
      className="flex items-start gap-3 rounded-2xl border border-danger/25 bg-danger-soft px-4 py-3 text-sm"
    >
      <CircleAlert aria-hidden="true" className="mt-0.5 size-4.5 shrink-0 text-danger" />
      <div className="min-w-0 flex-1 space-y-1">
        <p className="font-semibold text-danger">{TITLES[error.code] ?? "Something went wrong"}</p>
        <p className="text-fg">{error.message}</p>
        {error.creditsCharged > 0 && (
          <p className="text-fg-muted">
            {formatCredits(error.creditsCharged)} were charged for what was produced.
          </p>
        )}
        {onRetry && (
          <button
            type="button"
            onClick={onRetry}
            className="mt-1 inline-flex items-center gap-1.5 rounded-md border border-border bg-surface px-2.5 py-1 text-xs font-semibold text-fg shadow-xs hover:bg-surface-muted"
          >
            <RotateCcw aria-hidden="true" className="size-3.5" />
            Try again
          </button>
        )}
      </div>
      <button
        type="button"
        onClick={onDismiss}
        aria-label="Dismiss"
        className="-m-1 rounded-md p-1 text-fg-muted transition-colors hover:bg-danger/10 hover:text-fg"
      >
        <X aria-hidden="true" className="size-4" />
      </button>
    </div>
  );
}
