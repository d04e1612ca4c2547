import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { CircleAlert, Coins, RotateCcw, X } from "lucide-react";
import { Link } from "react-router";
import type { TurnOutcome } from "../../lib/chat/chat-streams.ts";
import { formatCredits } from "../../lib/format.ts";

type TurnError = Extract<TurnOutcome, { kind: "error" }>;

interface OutOfCreditsProps {
  /** What is left, when known (a PAYMENT_REQUIRED error says; the balance says otherwise). */
  available?: number | undefined;
  /** The least an answer holds with the chosen model, when known (the balance is below it). */
  needed?: number | undefined;
  /** A cheaper model could still answer: the person can pick it. */
  cheaperModel?: { name: string; choose: () => void } | undefined;
  onDismiss?: () => void;
}

/** The friendly dead end: no credits for this answer, and what to do about it. */
export function OutOfCredits({ available, needed, cheaperModel, onDismiss }: OutOfCreditsProps) {
  const { t } = useLingui();
  const nothingLeft = available === undefined || available === 0;
  const cheaperName = cheaperModel?.name;
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
          {nothingLeft ? (
            <Trans>You've run out of credits</Trans>
          ) : (
            <Trans>Not enough credits for this answer</Trans>
          )}
        </h2>
        <p className="text-fg-muted">
          {nothingLeft ? (
            <Trans>
              Your messages are safe, but Parley can't answer until more credits are added to your account.
            </Trans>
          ) : (
            <ShortOfCredits available={available} needed={needed} />
          )}{" "}
          {cheaperName ? (
            <Trans>
              Try a cheaper model such as {cheaperName}, or ask an administrator to top up your credits.
            </Trans>
          ) : (
            <Trans>Ask an administrator to top up your credits.</Trans>
          )}
        </p>
        <p className="flex flex-wrap items-center gap-x-4 gap-y-2 pt-1">
          {cheaperModel && (
            <button
              type="button"
              onClick={cheaperModel.choose}
              className="rounded-md border border-border bg-surface px-2.5 py-1 text-xs font-semibold text-fg shadow-xs hover:bg-surface-muted"
            >
              <Trans>Switch to {cheaperName}</Trans>
            </button>
          )}
          <Link
            to="/profile#credits"
            className="font-semibold text-brand-text underline-offset-2 hover:underline"
          >
            <Trans>See your credits and usage</Trans>
          </Link>
        </p>
      </div>
      {onDismiss && (
        <button
          type="button"
          onClick={onDismiss}
          aria-label={t`Dismiss`}
          className="-m-1 self-start rounded-md p-1 text-fg-muted hover:bg-amber-500/10 hover:text-fg"
        >
          <X aria-hidden="true" className="size-4" />
        </button>
      )}
    </section>
  );
}

const TITLES: Record<string, MessageDescriptor> = {
  MODEL_ERROR: msg`The model couldn't finish this answer`,
  ACCESS_DENIED: msg`This model isn't available to Parley right now`,
  INFERENCE_PROFILE_REQUIRED: msg`This model needs an inference profile`,
  THROTTLED: msg`The model is busy`,
  STREAM_LOST: msg`We lost track of this answer`,
  CONFLICT: msg`An answer is already being written in this chat`,
  NOT_FOUND: msg`This chat no longer exists`,
  BAD_REQUEST: msg`This message couldn't be sent`,
  NETWORK: msg`The connection was lost`,
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
  const { t } = useLingui();
  const title = TITLES[error.code];
  const charged = formatCredits(error.creditsCharged);
  return (
    <div
      role="alert"
      className="flex items-start gap-3 rounded-2xl border border-danger/25 bg-danger-soft px-4 py-3 text-sm"
    >
      <CircleAlert aria-hidden="true" className="mt-0.5 size-4.5 shrink-0 text-danger" />
      <div className="min-w-0 flex-1 space-y-1">
        <p className="font-semibold text-danger">{title ? t(title) : t`Something went wrong`}</p>
        <p className="text-fg">{error.message}</p>
        {error.creditsCharged > 0 && (
          <p className="text-fg-muted">
            <Trans>{charged} were charged for what was produced.</Trans>
          </p>
        )}
        {onRetry && (
          <button
            type="button"
            onClick={onRetry}
            className="mt-1 inline-flex items-center gap-1.5 rounded-md border border-border bg-surface px-2.5 py-1 text-xs font-semibold text-fg shadow-xs hover:bg-surface-muted"
          >
            <RotateCcw aria-hidden="true" className="size-3.5" />
            <Trans>Try again</Trans>
          </button>
        )}
      </div>
      <button
        type="button"
        onClick={onDismiss}
        aria-label={t`Dismiss`}
        className="-m-1 rounded-md p-1 text-fg-muted transition-colors hover:bg-danger/10 hover:text-fg"
      >
        <X aria-hidden="true" className="size-4" />
      </button>
    </div>
  );
}

/** Why the credits left cannot pay for an answer with the chosen model. */
function ShortOfCredits({
  available,
  needed,
}: {
  available: number | undefined;
  needed: number | undefined;
}) {
  const have = formatCredits(available ?? 0);
  if (needed === undefined || needed === 0) {
    return (
      <Trans>
        Before answering, Parley sets aside credits for at least a short answer. You have {have} available,
        which isn't enough for this model.
      </Trans>
    );
  }
  const least = formatCredits(needed);
  return (
    <Trans>
      Before answering, Parley sets aside credits for at least a short answer ({least} with this model). You
      have {have} available, which isn't enough for this model.
    </Trans>
  );
}
