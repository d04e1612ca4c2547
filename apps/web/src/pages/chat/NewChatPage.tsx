import { Code2, Lightbulb, PenLine } from "lucide-react";
import { useState } from "react";
import { useNavigate } from "react-router";
import { Alert } from "../../components/Alert.tsx";
import { ChatHeader } from "../../components/chat/ChatHeader.tsx";
import { Composer } from "../../components/chat/Composer.tsx";
import { OutOfCredits } from "../../components/chat/LazyNotices.tsx";
import { useChatStreams } from "../../lib/chat/chat-streams.ts";
import { useChatConfig } from "../../lib/chat/use-chat-config.ts";
import { useCurrentUser } from "../../lib/current-user.ts";
import { errorMessage } from "../../lib/errors.ts";
import { trpc } from "../../lib/trpc.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

const SUGGESTIONS = [
  { icon: Lightbulb, label: "Explain a concept", text: "Explain how public-key cryptography works, simply." },
  {
    icon: Code2,
    label: "Write some code",
    text: "Write a TypeScript function that debounces another function.",
  },
  {
    icon: PenLine,
    label: "Draft a message",
    text: "Draft a friendly note asking my team for project updates.",
  },
];

/** /chat: an empty chat. The first message creates the session, then the page moves to it. */
export function NewChatPage() {
  useDocumentTitle("New chat");
  const user = useCurrentUser();
  const { setup, query: configQuery } = useChatConfig();
  const balance = trpc.accounting.balance.useQuery(undefined, { staleTime: 10_000 });
  const streams = useChatStreams();
  const utils = trpc.useUtils();
  const navigate = useNavigate();
  const [draft, setDraft] = useState("");
  const [modelChoice, setModelChoice] = useState<string | null>(null);
  const modelId = modelChoice ?? setup?.defaultModelId ?? "";

  const create = trpc.sessions.create.useMutation();
  type CreatedSession = NonNullable<typeof create.data>;

  const start = (session: CreatedSession, content: string) => {
    // The new chat is empty until the answer settles: seeding it saves the next page a round trip.
    utils.sessions.get.setData(
      { sessionId: session.id },
      {
        session: { ...session, lastActivityAt: session.createdAt, messageCount: 0, lastMessagePreview: null },
        messages: [],
      },
    );
    streams.send({ sessionId: session.id, content, modelId: session.modelId, knownMessageIds: new Set() });
    void utils.sessions.list.invalidate();
    setDraft("");
    navigate(`/chat/${session.id}`);
  };

  const outOfCredits = balance.data?.available === 0;
  const firstName = user.displayName.split(/\s+/)[0] ?? user.displayName;

  return (
    <>
      <ChatHeader title="New chat" demo={setup?.demo ?? false} />
      <div className="min-h-0 flex-1 overflow-y-auto">
        <div className="mx-auto flex min-h-full w-full max-w-3xl flex-col justify-center px-4 py-10 sm:px-6">
          <h2 className="text-center text-2xl font-semibold tracking-tight text-fg sm:text-3xl">
            What can I help with, {firstName}?
          </h2>
          <p className="mt-2 text-center text-sm text-fg-muted">
            Ask anything. Each answer shows what it cost; your balance is in the top bar.
          </p>
          <ul aria-label="Suggestions" className="mt-8 grid gap-3 sm:grid-cols-3">
            {SUGGESTIONS.map(({ icon: Icon, label, text }) => (
              <li key={label}>
                <button
                  type="button"
                  onClick={() => setDraft(text)}
                  className="flex h-full w-full flex-col gap-2 rounded-xl border border-border bg-surface p-4 text-left shadow-xs transition-colors hover:border-brand/40 hover:bg-brand-soft/50"
                >
                  <Icon aria-hidden="true" className="size-4.5 text-brand-text" />
                  <span className="text-sm font-semibold text-fg">{label}</span>
                  <span className="text-xs text-fg-muted">{text}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      </div>
      <div className="shrink-0 px-3 pt-2 pb-3 sm:px-6">
        <div className="mx-auto w-full max-w-3xl space-y-2">
          {create.error && (
            <Alert title="Your chat couldn't be started" onDismiss={() => create.reset()}>
              {errorMessage(create.error)}
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
              submitting={create.isPending}
              blocked={outOfCredits ? <OutOfCredits available={0} /> : undefined}
              onSend={(content) =>
                create.mutate(
                  { initialMessage: content, ...(modelId ? { modelId } : {}) },
                  { onSuccess: (session) => start(session, content) },
                )
              }
              onStop={() => undefined}
              autoFocus
            />
          ) : configQuery.isError ? (
            <Alert title="The chat settings couldn't be loaded">{errorMessage(configQuery.error)}</Alert>
          ) : (
            <div className="h-[6.5rem] animate-pulse rounded-2xl bg-surface-muted motion-reduce:animate-none" />
          )}
        </div>
      </div>
    </>
  );
}
