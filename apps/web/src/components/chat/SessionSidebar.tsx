import { Trans, useLingui } from "@lingui/react/macro";
import { MAX_SESSION_TITLE_LENGTH } from "@parley/validators";
import { useQueryClient } from "@tanstack/react-query";
import { getQueryKey } from "@trpc/react-query";
import { MessageSquarePlus, Search, X } from "lucide-react";
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import type { SessionSummary } from "../../lib/api-types.ts";
import { useBusySessionIds, useChatStreams } from "../../lib/chat/chat-streams.ts";
import { useSessionList } from "../../lib/chat/use-session-list.ts";
import { errorMessage } from "../../lib/errors.ts";
import { trpc } from "../../lib/trpc.ts";
import { useDebouncedValue } from "../../lib/use-debounced-value.ts";
import { Alert } from "../ui/Alert.tsx";
import { Button } from "../ui/Button.tsx";
import { QueryError } from "../ui/QueryError.tsx";
import { SessionItem } from "./SessionItem.tsx";

// Loaded on the first delete, then kept mounted so the native dialog can return focus when it closes.
const ConfirmDialog = lazy(async () => ({ default: (await import("../ui/Dialog.tsx")).ConfirmDialog }));
// Full-text search results (sessions.search): loaded with the first search.
const SearchResults = lazy(async () => ({ default: (await import("./SearchResults.tsx")).SearchResults }));

interface SessionSidebarProps {
  id: string;
  /** Phone width: whether the drawer is shown. Wider screens always show the list. */
  open: boolean;
  onClose: () => void;
}

/** The chat list: search, new chat, rename, delete, and more pages as the list scrolls. */
export function SessionSidebar({ id, open, onClose }: SessionSidebarProps) {
  const { t } = useLingui();
  const [search, setSearch] = useState("");
  const term = useDebouncedValue(search, 250);
  const list = useSessionList();
  const busy = useBusySessionIds();
  const streams = useChatStreams();
  const utils = trpc.useUtils();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { sessionId: activeId } = useParams();
  const [renamingId, setRenamingId] = useState<string | null>(null);
  const [pendingTitles, setPendingTitles] = useState<Record<string, string>>({});
  const [toDelete, setToDelete] = useState<SessionSummary | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const panelRef = useRef<HTMLElement>(null);
  const sentinelRef = useRef<HTMLDivElement>(null);

  const rename = trpc.sessions.rename.useMutation({
    onSettled: async (_data, _error, { sessionId }) => {
      await Promise.all([
        utils.sessions.list.invalidate(),
        utils.sessions.search.invalidate(),
        utils.sessions.get.invalidate({ sessionId }),
      ]);
      setPendingTitles(({ [sessionId]: _done, ...rest }) => rest);
    },
    onError: (error) => {
      const reason = errorMessage(error);
      setActionError(t`Couldn't rename the chat. ${reason}`);
    },
  });
  const remove = trpc.sessions.delete.useMutation({
    onSuccess: async (_data, { sessionId }) => {
      setToDelete(null);
      if (sessionId === activeId) navigate("/chat", { replace: true });
      queryClient.removeQueries({ queryKey: getQueryKey(trpc.sessions.get, { sessionId }, "query") });
      await Promise.all([utils.sessions.list.invalidate(), utils.sessions.search.invalidate()]);
    },
  });

  // Loads the next page when the end of the list scrolls into view.
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    const sentinel = sentinelRef.current;
    if (!sentinel || !hasNextPage) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  // The drawer (phone width): Escape closes it; focus moves into it when it opens.
  useEffect(() => {
    if (!open) return;
    panelRef.current?.querySelector<HTMLElement>("a, button, input")?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open, onClose]);

  const sessions = list.sessions.map((s) =>
    pendingTitles[s.id] ? { ...s, title: pendingTitles[s.id] ?? s.title } : s,
  );

  return (
    <>
      {open && (
        <button
          type="button"
          aria-label={t`Close chat list`}
          tabIndex={-1}
          onClick={onClose}
          className="fixed inset-0 z-30 bg-black/40 md:hidden"
        />
      )}
      <aside
        ref={panelRef}
        id={id}
        aria-label={t`Chats`}
        className={`${
          open ? "flex" : "hidden"
        } fixed inset-y-0 left-0 z-40 w-[min(20rem,85vw)] flex-col border-r border-border bg-surface shadow-2xl md:static md:z-auto md:flex md:w-72 md:shadow-none lg:w-80`}
      >
        <div className="flex items-center gap-2 p-3">
          <Link
            to="/chat"
            onClick={onClose}
            className="inline-flex h-10 flex-1 items-center justify-center gap-2 rounded-lg bg-brand px-4 text-sm font-semibold text-on-brand shadow-sm transition-colors hover:bg-brand-hover"
          >
            <MessageSquarePlus aria-hidden="true" className="size-4" />
            <Trans>New chat</Trans>
          </Link>
          <button
            type="button"
            onClick={onClose}
            aria-label={t`Close chat list`}
            className="grid size-10 place-items-center rounded-lg text-fg-muted hover:bg-surface-muted hover:text-fg md:hidden"
          >
            <X aria-hidden="true" className="size-5" />
          </button>
        </div>
        <div className="px-3 pb-2">
          <label htmlFor={`${id}-search`} className="sr-only">
            <Trans>Search chats</Trans>
          </label>
          <div className="relative">
            <Search
              aria-hidden="true"
              className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-fg-muted"
            />
            <input
              id={`${id}-search`}
              type="search"
              data-shortcut="search"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
              placeholder={t`Search chats`}
              maxLength={MAX_SESSION_TITLE_LENGTH}
              className="block h-10 w-full rounded-lg border border-border bg-canvas pr-3 pl-9 text-sm text-fg placeholder:text-fg-muted focus:border-brand focus:ring-4 focus:ring-brand/15 focus:outline-none"
            />
          </div>
        </div>

        <div className="min-h-0 flex-1 overflow-y-auto px-2 pb-3">
          {actionError && (
            <div className="px-1 pb-2">
              <Alert onDismiss={() => setActionError(null)}>{actionError}</Alert>
            </div>
          )}
          {term ? (
            <Suspense fallback={<p className="px-3 pt-4 text-sm text-fg-muted">Searching…</p>}>
              <SearchResults term={term} onNavigate={onClose} />
            </Suspense>
          ) : list.isPending ? (
            <ul aria-label={t`Loading chats`} className="space-y-1 px-1 pt-1">
              {[0, 1, 2, 3, 4].map((i) => (
                <li
                  key={i}
                  className="h-12 animate-pulse rounded-lg bg-surface-muted motion-reduce:animate-none"
                />
              ))}
            </ul>
          ) : list.isError && sessions.length === 0 ? (
            <QueryError query={list} title={t`Couldn't load your chats`} className="px-1 pt-1" />
          ) : sessions.length === 0 ? (
            <p className="px-3 pt-4 text-center text-sm text-fg-muted">
              <Trans>No chats yet. Start one with New chat.</Trans>
            </p>
          ) : (
            <nav aria-label={t`Chat history`}>
              <h2 className="px-3 pt-2 pb-1 text-xs font-semibold tracking-wide text-fg-muted uppercase">
                <Trans>Recent</Trans>
              </h2>
              <ul className="space-y-0.5">
                {sessions.map((session) => (
                  <li key={session.id}>
                    <SessionItem
                      session={session}
                      busy={busy.has(session.id)}
                      renaming={renamingId === session.id}
                      onStartRename={() => setRenamingId(session.id)}
                      onCancelRename={() => setRenamingId(null)}
                      onRename={(title) => {
                        setRenamingId(null);
                        setActionError(null);
                        setPendingTitles((titles) => ({ ...titles, [session.id]: title }));
                        rename.mutate({ sessionId: session.id, title });
                      }}
                      onDelete={() => {
                        remove.reset();
                        setToDelete(session);
                      }}
                      onNavigate={onClose}
                    />
                  </li>
                ))}
              </ul>
              {list.hasNextPage && (
                <div ref={sentinelRef} className="px-1 pt-2">
                  <Button
                    variant="secondary"
                    className="h-9 w-full"
                    loading={list.isFetchingNextPage}
                    onClick={() => void list.fetchNextPage()}
                  >
                    <Trans>Load more chats</Trans>
                  </Button>
                </div>
              )}
            </nav>
          )}
        </div>
      </aside>

      {toDelete && (
        <Suspense fallback={null}>
          <ConfirmDialog
            title={t`Delete this chat?`}
            confirmLabel={t`Delete chat`}
            pending={remove.isPending}
            error={remove.error}
            onCancel={() => setToDelete(null)}
            onConfirm={() => {
              if (streams.isBusy(toDelete.id)) void streams.stop(toDelete.id);
              remove.mutate({ sessionId: toDelete.id });
            }}
          >
            <DeleteChatWarning title={toDelete.title} />
          </ConfirmDialog>
        </Suspense>
      )}
    </>
  );
}

function DeleteChatWarning({ title }: { title: string }) {
  return (
    <Trans>
      “{title}” and its messages will be removed from your chats. Credits already spent on it stay in your
      history.
    </Trans>
  );
}
