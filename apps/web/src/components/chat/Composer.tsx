import { ArrowUp, Square } from "lucide-react";
import { type FormEvent, type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from "react";
import type { ChatModel, ModelPrice } from "../../lib/api-types.ts";
import { formatNumber } from "../../lib/format.ts";
import { Spinner } from "../Spinner.tsx";
import { ModelPicker } from "./ModelPicker.tsx";

interface ComposerProps {
  value: string;
  onChange: (value: string) => void;
  models: ChatModel[];
  prices: ReadonlyMap<string, ModelPrice>;
  modelId: string;
  onModelChange: (modelId: string) => void;
  maxChars: number;
  /** An answer is being written: Send becomes Stop, and nothing new can be sent. */
  streaming: boolean;
  stopping?: boolean;
  /** The message is being handed over (creating the chat): everything waits. */
  submitting?: boolean;
  /** Why sending is impossible right now (e.g. no credits left); shown above the box. */
  blocked?: ReactNode;
  onSend: (content: string) => void;
  onStop: () => void;
  autoFocus?: boolean;
}

/** The message box: Enter sends, Shift+Enter starts a new line; the length limit is always shown. */
export function Composer({
  value,
  onChange,
  models,
  prices,
  modelId,
  onModelChange,
  maxChars,
  streaming,
  stopping = false,
  submitting = false,
  blocked,
  onSend,
  onStop,
  autoFocus = false,
}: ComposerProps) {
  const id = useId();
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const length = value.length;
  const tooLong = length > maxChars;
  const empty = value.trim() === "";
  const canSend = !empty && !tooLong && !streaming && !submitting && !blocked;

  // Not on touch screens, where focusing would throw the on-screen keyboard over the chat.
  useEffect(() => {
    if (autoFocus && window.matchMedia("(pointer: fine)").matches) textareaRef.current?.focus();
  }, [autoFocus]);

  // When an answer settles, the box is ready again: put the cursor back if it was there.
  const wasBusy = useRef(streaming || submitting);
  useEffect(() => {
    const busy = streaming || submitting;
    if (wasBusy.current && !busy && document.activeElement === document.body) textareaRef.current?.focus();
    wasBusy.current = busy;
  }, [streaming, submitting]);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (canSend) onSend(value.trim());
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  const counterTone = tooLong
    ? "text-danger font-semibold"
    : length > maxChars * 0.9
      ? "text-fg"
      : "text-fg-muted";

  return (
    <div className="space-y-2">
      {blocked}
      <form
        onSubmit={submit}
        aria-label="Send a message"
        className="rounded-2xl border border-border bg-surface shadow-sm transition-[border-color,box-shadow] focus-within:border-brand focus-within:ring-4 focus-within:ring-brand/15"
      >
        <label htmlFor={`${id}-message`} className="sr-only">
          Message
        </label>
        <textarea
          id={`${id}-message`}
          ref={textareaRef}
          value={value}
          rows={1}
          onChange={(event) => onChange(event.target.value)}
          onKeyDown={onKeyDown}
          readOnly={submitting}
          aria-invalid={tooLong || undefined}
          aria-describedby={`${id}-counter ${id}-hint`}
          placeholder="Message Parley…"
          className="block max-h-60 min-h-14 w-full resize-none bg-transparent px-4 pt-3.5 pb-1 text-base text-fg [field-sizing:content] placeholder:text-fg-muted focus:outline-none sm:text-[0.9375rem]"
        />
        <div className="flex items-center gap-2 px-2 pt-1 pb-2">
          <ModelPicker
            id={`${id}-model`}
            models={models}
            prices={prices}
            value={modelId}
            onChange={onModelChange}
            disabled={streaming || submitting}
          />
          <span id={`${id}-counter`} className={`ml-auto shrink-0 text-xs tabular-nums ${counterTone}`}>
            <span aria-hidden="true">
              {formatNumber(length)} / {formatNumber(maxChars)}
            </span>
            <span className="sr-only">
              {formatNumber(length)} of {formatNumber(maxChars)} characters{tooLong ? ", too long" : ""}
            </span>
          </span>
          {streaming ? (
            <button
              type="button"
              onClick={onStop}
              disabled={stopping}
              aria-busy={stopping || undefined}
              className="inline-flex h-9 shrink-0 items-center gap-1.5 rounded-lg border border-border bg-surface px-3 text-sm font-semibold text-fg shadow-xs transition-colors hover:bg-surface-muted disabled:opacity-60"
            >
              {stopping ? (
                <Spinner className="size-3.5" />
              ) : (
                <Square aria-hidden="true" className="size-3.5 fill-current" />
              )}
              Stop
            </button>
          ) : (
            <button
              type="submit"
              disabled={!canSend}
              aria-busy={submitting || undefined}
              className="inline-flex h-9 shrink-0 items-center gap-1.5 rounded-lg bg-brand px-3 text-sm font-semibold text-on-brand shadow-sm transition-colors hover:bg-brand-hover disabled:cursor-not-allowed disabled:opacity-50"
            >
              {submitting ? (
                <Spinner className="size-4" />
              ) : (
                <ArrowUp aria-hidden="true" className="size-4" />
              )}
              Send
            </button>
          )}
        </div>
      </form>
      <p id={`${id}-hint`} className="hidden px-2 text-center text-xs text-fg-muted sm:block">
        {tooLong
          ? `Your message is ${formatNumber(length - maxChars)} characters over the limit.`
          : "Enter to send · Shift+Enter for a new line"}
      </p>
    </div>
  );
}
