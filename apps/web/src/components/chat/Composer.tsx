import { Trans, useLingui } from "@lingui/react/macro";
import { ArrowUp, Paperclip, Square } from "lucide-react";
import {
  type ClipboardEvent,
  type DragEvent,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import type { ChatModel, ModelPrice } from "../../lib/api-types.ts";
import type { AttachmentDraft } from "../../lib/chat/attachment-draft.ts";
import { formatNumber } from "../../lib/format.ts";
import { Spinner } from "../ui/Spinner.tsx";
import { ACCEPTED_FILES, DraftChips } from "./LazyAttachments.tsx";
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
  /** Files and images for the message (picker, drag-and-drop, pasted images). */
  attachments?: AttachmentDraft | undefined;
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
  attachments,
}: ComposerProps) {
  const id = useId();
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const { t } = useLingui();
  const length = value.length;
  const tooLong = length > maxChars;
  const typed = formatNumber(length);
  const limit = formatNumber(maxChars);
  const excess = formatNumber(length - maxChars);
  const empty = value.trim() === "";
  const canSend = !empty && !tooLong && !streaming && !submitting && !blocked && !attachments?.uploading;

  const onDrop = (event: DragEvent) => {
    if (!attachments || event.dataTransfer.files.length === 0) return;
    event.preventDefault();
    setDragging(false);
    attachments.add(event.dataTransfer.files);
  };
  const onDragOver = (event: DragEvent) => {
    if (!attachments || !event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    setDragging(true);
  };
  // Pasted images (screenshots) become attachments; pasted text stays text.
  const onPaste = (event: ClipboardEvent) => {
    const files = event.clipboardData.files;
    if (!attachments || files.length === 0) return;
    event.preventDefault();
    attachments.add(files);
  };

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
        aria-label={t`Send a message`}
        onDrop={onDrop}
        onDragOver={onDragOver}
        onDragLeave={() => setDragging(false)}
        className={`rounded-2xl border bg-surface shadow-sm transition-[border-color,box-shadow] focus-within:border-brand focus-within:ring-4 focus-within:ring-brand/15 ${dragging ? "border-brand ring-4 ring-brand/15" : "border-border"}`}
      >
        {attachments && <DraftChips items={attachments.items} onRemove={attachments.remove} />}
        <label htmlFor={`${id}-message`} className="sr-only">
          <Trans>Message</Trans>
        </label>
        <textarea
          id={`${id}-message`}
          ref={textareaRef}
          data-shortcut="composer"
          value={value}
          rows={1}
          onChange={(event) => onChange(event.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          readOnly={submitting}
          aria-invalid={tooLong || undefined}
          aria-describedby={`${id}-counter ${id}-hint`}
          placeholder={t`Message Parley…`}
          className="block max-h-60 min-h-14 w-full resize-none bg-transparent px-4 pt-3.5 pb-1 text-base text-fg [field-sizing:content] placeholder:text-fg-muted focus:outline-none sm:text-[0.9375rem]"
        />
        <div className="flex items-center gap-2 px-2 pt-1 pb-2">
          {attachments && (
            <>
              <button
                type="button"
                onClick={() => fileRef.current?.click()}
                disabled={submitting}
                aria-label={t`Attach files`}
                title={t`Attach files or images`}
                className="grid size-9 shrink-0 place-items-center rounded-lg text-fg-muted transition-colors hover:bg-surface-muted hover:text-fg disabled:opacity-50"
              >
                <Paperclip aria-hidden="true" className="size-4" />
              </button>
              <input
                ref={fileRef}
                type="file"
                multiple
                accept={ACCEPTED_FILES}
                className="hidden"
                aria-label={t`Files to attach`}
                onChange={(event) => {
                  if (event.target.files) attachments.add(event.target.files);
                  event.target.value = "";
                }}
              />
            </>
          )}
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
              {typed} / {limit}
            </span>
            <span className="sr-only">
              {tooLong ? (
                <Trans>
                  {typed} of {limit} characters, too long
                </Trans>
              ) : (
                <Trans>
                  {typed} of {limit} characters
                </Trans>
              )}
            </span>
          </span>
          {streaming ? (
            <button
              type="button"
              onClick={onStop}
              data-shortcut="stop"
              disabled={stopping}
              aria-busy={stopping || undefined}
              className="inline-flex h-9 shrink-0 items-center gap-1.5 rounded-lg border border-border bg-surface px-3 text-sm font-semibold text-fg shadow-xs transition-colors hover:bg-surface-muted disabled:opacity-60"
            >
              {stopping ? (
                <Spinner className="size-3.5" />
              ) : (
                <Square aria-hidden="true" className="size-3.5 fill-current" />
              )}
              <Trans>Stop</Trans>
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
              <Trans>Send</Trans>
            </button>
          )}
        </div>
      </form>
      {/* The keyboard tip is for wide screens; the over-the-limit warning shows on every screen. */}
      <p
        id={`${id}-hint`}
        className={`px-2 text-center text-xs ${tooLong ? "font-medium text-danger" : "hidden text-fg-muted sm:block"}`}
      >
        {tooLong ? (
          <Trans>Your message is {excess} characters over the limit.</Trans>
        ) : (
          <Trans>Enter to send · Shift+Enter for a new line</Trans>
        )}
      </p>
    </div>
  );
}
