import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { Code2, Lightbulb, PenLine } from "lucide-react";
import { useState } from "react";
import { useNavigate } from "react-router";
import { ChatHeader } from "../../components/chat/ChatHeader.tsx";
import { Composer } from "../../components/chat/Composer.tsx";
import { PresetChooser } from "../../components/chat/LazyChatSettings.tsx";
import { creditBlock } from "../../components/chat/LazyNotices.tsx";
import { Alert } from "../../components/ui/Alert.tsx";
import type { ChatPreset } from "../../lib/api-types.ts";
import { useAttachmentDraft } from "../../lib/chat/attachment-draft.ts";
import { useChatStreams } from "../../lib/chat/chat-streams.ts";
import { useChatConfig } from "../../lib/chat/use-chat-config.ts";
import { useCurrentUser } from "../../lib/current-user.ts";
import { errorMessage } from "../../lib/errors.ts";
import { trpc } from "../../lib/trpc.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

const SUGGESTIONS = [
  {
    icon: Lightbulb,
    label: msg`Explain a concept`,
    text: msg`Explain how public-key cryptography works, simply.`,
  },
  {
    icon: Code2,
    label: msg`Write some code`,
    text: msg`Write a TypeScript function that debounces another function.`,
  },
  {
    icon: PenLine,
    label: msg`Draft a message`,
    text: msg`Draft a friendly note asking my team for project updates.`,
  },
];

/** /chat: an empty chat. The first message creates the session, then the page moves to it. */
export function NewChatPage() {
  const { t } = useLingui();
  useDocumentTitle(t`New chat`);
  const user = useCurrentUser();
  const { setup, query: configQuery } = useChatConfig();
  const balance = trpc.accounting.balance.useQuery(undefined, { staleTime: 10_000 });
  const streams = useChatStreams();
  const utils = trpc.useUtils();
  const navigate = useNavigate();
  const [draft, setDraft] = useState("");
  const [modelChoice, setModelChoice] = useState<string | null>(null);
  const [preset, setPreset] = useState<ChatPreset | null>(null);
  const modelId = modelChoice ?? setup?.defaultModelId ?? "";
  const attachments = useAttachmentDraft(setup?.attachments);

  const choosePreset = (chosen: ChatPreset | null) => {
    setPreset(chosen);
    if (chosen?.modelId && setup?.models.some((m) => m.id === chosen.modelId)) setModelChoice(chosen.modelId);
  };

  const [submitting, setSubmitting] = useState(false);
  const [refusal, setRefusal] = useState<unknown>(null);

  // The chat is created by the server when it accepts the first message, with the preset's settings
  // if one is chosen: a refused message (no credits, too long) stays in the composer with the
  // reason, and no empty chat is left behind.
  const start = async (content: string) => {
    setSubmitting(true);
    setRefusal(null);
    const attachmentIds = attachments.take();
    try {
      const settings = preset
        ? { systemPrompt: preset.systemPrompt, temperature: preset.temperature, maxTokens: preset.maxTokens }
        : undefined;
      const sessionId = await streams.startChat({
        content,
        modelId: modelId || undefined,
        attachmentIds,
        settings,
      });
      void utils.sessions.list.invalidate();
      setDraft("");
      navigate(`/chat/${sessionId}`);
    } catch (error) {
      // Refused: the files are still unsent, back in the composer with the text.
      attachments.restore();
      setRefusal(error);
    } finally {
      setSubmitting(false);
    }
  };

  const blocked = creditBlock(setup, modelId, balance.data?.available, setModelChoice);
  const firstName = user.displayName.split(/\s+/)[0] ?? user.displayName;

  return (
    <>
      <ChatHeader title={t`New chat`} demo={setup?.demo ?? false} />
      <div className="min-h-0 flex-1 overflow-y-auto">
        <div className="mx-auto flex min-h-full w-full max-w-3xl flex-col justify-center px-4 py-10 sm:px-6">
          <h2 className="text-center text-2xl font-semibold tracking-tight text-fg sm:text-3xl">
            <Trans>What can I help with, {firstName}?</Trans>
          </h2>
          <p className="mt-2 text-center text-sm text-fg-muted">
            <Trans>Ask anything. Each answer shows what it cost; your balance is in the top bar.</Trans>
          </p>
          <ul aria-label={t`Suggestions`} className="mt-8 grid gap-3 sm:grid-cols-3">
            {SUGGESTIONS.map(({ icon: Icon, label, text }) => (
              <li key={label.id}>
                <button
                  type="button"
                  onClick={() => setDraft(t(text))}
                  className="flex h-full w-full flex-col gap-2 rounded-xl border border-border bg-surface p-4 text-left shadow-xs transition-colors hover:border-brand/40 hover:bg-brand-soft/50"
                >
                  <Icon aria-hidden="true" className="size-4.5 text-brand-text" />
                  <span className="text-sm font-semibold text-fg">{t(label)}</span>
                  <span className="text-xs text-fg-muted">{t(text)}</span>
                </button>
              </li>
            ))}
          </ul>
          <PresetChooser selectedId={preset?.id ?? null} onSelect={choosePreset} />
        </div>
      </div>
      <div className="shrink-0 px-3 pt-2 pb-3 sm:px-6">
        <div className="mx-auto w-full max-w-3xl space-y-2">
          {refusal !== null && (
            <Alert title={t`Your chat couldn't be started`} onDismiss={() => setRefusal(null)}>
              {errorMessage(refusal)}
            </Alert>
          )}
          {setup ? (
            <Composer
              value={draft}
              onChange={setDraft}
              models={setup.models}
              prices={setup.prices}
              modelId={modelId}
              onModelChange={setModelChoice}
              maxChars={setup.maxMessageChars}
              streaming={false}
              submitting={submitting}
              blocked={blocked}
              onSend={(content) => void start(content)}
              onStop={() => undefined}
              autoFocus
              attachments={attachments}
            />
          ) : configQuery.isError ? (
            <Alert title={t`The chat settings couldn't be loaded`}>{errorMessage(configQuery.error)}</Alert>
          ) : (
            <div className="h-[6.5rem] animate-pulse rounded-2xl bg-surface-muted motion-reduce:animate-none" />
          )}
        </div>
      </div>
    </>
  );
}
