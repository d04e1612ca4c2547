import { Trans, useLingui } from "@lingui/react/macro";
import { MAX_FEEDBACK_COMMENT_LENGTH } from "@parley/validators";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { errorMessage } from "../../lib/errors.ts";
import { trpc } from "../../lib/trpc.ts";
import { Button } from "../ui/Button.tsx";

interface FeedbackCommentProps {
  messageId: string;
  rating: "up" | "down";
  comment: string;
  onDone: () => void;
  onSaved: () => void;
}

/** The optional comment on a rating: a small form under the thumbs. Escape or Skip closes it. */
export function FeedbackComment({ messageId, rating, comment, onDone, onSaved }: FeedbackCommentProps) {
  const { t } = useLingui();
  const [text, setText] = useState(comment);
  const ref = useRef<HTMLTextAreaElement>(null);
  const rate = trpc.feedback.rate.useMutation({
    onSuccess: () => {
      onSaved();
      onDone();
    },
  });
  useEffect(() => ref.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    rate.mutate({ messageId, rating, comment: text.trim() });
  };
  return (
    <form
      onSubmit={submit}
      aria-label={t`Feedback comment`}
      onKeyDown={(event) => {
        if (event.key === "Escape") onDone();
      }}
      className="absolute top-full right-0 z-20 mt-1 w-72 space-y-2 rounded-xl border border-border bg-surface p-3 text-left shadow-xl"
    >
      <p role="status" className="text-xs font-medium text-fg">
        {rating === "up" ? (
          <Trans>Thanks! What was good? (optional)</Trans>
        ) : (
          <Trans>Thanks! What went wrong? (optional)</Trans>
        )}
      </p>
      <label htmlFor={`comment-${messageId}`} className="sr-only">
        <Trans>Comment</Trans>
      </label>
      <textarea
        id={`comment-${messageId}`}
        ref={ref}
        rows={3}
        maxLength={MAX_FEEDBACK_COMMENT_LENGTH}
        value={text}
        onChange={(event) => setText(event.target.value)}
        className="block w-full resize-none rounded-lg border border-border bg-canvas px-2.5 py-2 text-sm text-fg focus:border-brand focus:ring-4 focus:ring-brand/15 focus:outline-none"
      />
      {rate.error && <p className="text-xs text-danger">{errorMessage(rate.error)}</p>}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" className="h-8 px-3" onClick={onDone}>
          <Trans>Skip</Trans>
        </Button>
        <Button type="submit" className="h-8 px-3" loading={rate.isPending}>
          <Trans>Send</Trans>
        </Button>
      </div>
    </form>
  );
}
