import { Trans, useLingui } from "@lingui/react/macro";
import { type FormEvent, useState } from "react";
import { Button } from "../ui/Button.tsx";

interface EditQuestionProps {
  initial: string;
  maxChars: number;
  onSave: (content: string) => void;
  onCancel: () => void;
}

/** A question being edited in place: saving sends the new version (the old one stays a version). */
export function EditQuestion({ initial, maxChars, onSave, onCancel }: EditQuestionProps) {
  const { t } = useLingui();
  const [value, setValue] = useState(initial);
  const content = value.trim();
  const valid = content !== "" && content.length <= maxChars;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) onSave(content);
  };
  return (
    <form
      onSubmit={submit}
      aria-label={t`Edit your message`}
      className="ml-auto w-full max-w-[85%] space-y-2 rounded-2xl border border-border bg-surface p-2 sm:max-w-[75%]"
    >
      <textarea
        aria-label={t`Edited message`}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") onCancel();
        }}
        // biome-ignore lint/a11y/noAutofocus: the person just asked to edit this message
        autoFocus
        className="block max-h-60 min-h-14 w-full resize-none bg-transparent px-2 py-1 text-[0.9375rem] text-fg [field-sizing:content] focus:outline-none"
      />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          <Trans>Cancel</Trans>
        </Button>
        <Button type="submit" disabled={!valid}>
          <Trans>Save and send</Trans>
        </Button>
      </div>
    </form>
  );
}
