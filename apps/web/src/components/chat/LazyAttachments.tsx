import { type ComponentProps, lazy, Suspense } from "react";

// Shown only once a file is attached or a message has one: loaded when first needed, not up front.
const Attachments = {
  DraftChips: lazy(async () => ({ default: (await import("./Attachments.tsx")).DraftChips })),
  SentAttachments: lazy(async () => ({ default: (await import("./Attachments.tsx")).SentAttachments })),
};

/** What the file picker offers: the formats the server accepts (it checks the bytes itself). */
export const ACCEPTED_FILES =
  "image/png,image/jpeg,image/gif,image/webp,application/pdf,.pdf,text/csv,.csv,.docx,text/plain,.txt,text/markdown,.md,text/html,.html";

export function DraftChips(props: ComponentProps<typeof Attachments.DraftChips>) {
  if (props.items.length === 0) return null;
  return (
    <Suspense fallback={null}>
      <Attachments.DraftChips {...props} />
    </Suspense>
  );
}

export function SentAttachments(props: ComponentProps<typeof Attachments.SentAttachments>) {
  if (props.attachments.length === 0) return null;
  return (
    <Suspense fallback={null}>
      <Attachments.SentAttachments {...props} />
    </Suspense>
  );
}
