import { useLingui } from "@lingui/react/macro";
import { ThumbsDown, ThumbsUp } from "lucide-react";
import { lazy, Suspense, useState } from "react";
import { trpc } from "../../lib/trpc.ts";

// The optional comment box opens after a thumb is pressed: loaded then, not with the chat.
const FeedbackComment = lazy(async () => ({
  default: (await import("./FeedbackComment.tsx")).FeedbackComment,
}));

type Rating = "up" | "down";

interface AnswerRatingProps {
  sessionId: string;
  messageId: string;
  current: { rating: Rating; comment: string | null } | undefined;
}

const THUMB =
  "grid size-7 place-items-center rounded-md transition-colors hover:bg-surface-muted hover:text-fg aria-pressed:text-brand-text";

/** Thumbs up or down on a stored answer, then an optional comment. Pressing again re-rates. */
export function AnswerRating({ sessionId, messageId, current }: AnswerRatingProps) {
  const { t } = useLingui();
  const utils = trpc.useUtils();
  const [commenting, setCommenting] = useState(false);
  const rate = trpc.feedback.rate.useMutation({
    onSettled: () => utils.feedback.forSession.invalidate({ sessionId }),
  });
  const rating = rate.isPending ? rate.variables.rating : current?.rating;
  const choose = (next: Rating) => {
    // A changed thumb keeps the comment already given.
    rate.mutate({ messageId, rating: next, ...(current?.comment ? { comment: current.comment } : {}) });
    setCommenting(true);
  };
  return (
    <span className="relative flex items-center">
      {[
        { value: "up" as const, label: t`Good answer`, Icon: ThumbsUp },
        { value: "down" as const, label: t`Bad answer`, Icon: ThumbsDown },
      ].map(({ value, label, Icon }) => (
        <button
          key={value}
          type="button"
          title={label}
          aria-label={label}
          aria-pressed={rating === value}
          onClick={() => choose(value)}
          className={THUMB}
        >
          <Icon aria-hidden="true" className="size-3.5" fill={rating === value ? "currentColor" : "none"} />
        </button>
      ))}
      {commenting && rating && (
        <Suspense fallback={null}>
          <FeedbackComment
            messageId={messageId}
            rating={rating}
            comment={current?.comment ?? ""}
            onDone={() => setCommenting(false)}
            onSaved={() => utils.feedback.forSession.invalidate({ sessionId })}
          />
        </Suspense>
      )}
    </span>
  );
}
