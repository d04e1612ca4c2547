import { type ReactNode, useEffect, useRef, useState } from "react";
import { ChatStreams, ChatStreamsContext } from "../lib/chat/chat-streams.ts";
import { trpc } from "../lib/trpc.ts";

/**
 * Holds the answers being streamed for the signed-in shell's lifetime, and refreshes what an answer
 * changes (the chat, the chat list, the balance, usage and ledger) when it settles.
 */
export function ChatStreamsProvider({ children }: { children: ReactNode }) {
  const utils = trpc.useUtils();
  const utilsRef = useRef(utils);
  useEffect(() => {
    utilsRef.current = utils;
  }, [utils]);

  const [streams] = useState(
    () =>
      new ChatStreams({
        client: () => utilsRef.current.client,
        onStarted: () => void utilsRef.current.accounting.balance.invalidate(),
        onSettled: async (sessionId, balance) => {
          const u = utilsRef.current;
          if (balance) u.accounting.balance.setData(undefined, balance);
          // A chat's first fetch still in flight (begun before the answer was stored: a new chat
          // whose page is still opening) would be joined by a refetch, not redone: cancel it, so
          // the chat is read again with the answer in it.
          await u.sessions.get.cancel({ sessionId });
          await Promise.allSettled([
            u.sessions.get.invalidate({ sessionId }, { refetchType: "all" }),
            u.sessions.list.invalidate(),
            u.sessions.search.invalidate(),
            u.accounting.balance.invalidate(),
            u.accounting.history.invalidate(),
            u.accounting.usage.stats.invalidate(),
          ]);
        },
      }),
  );
  useEffect(() => () => streams.close(), [streams]);

  // Answers already being written (this page was reloaded, or another tab sent them) are followed
  // too: looked up at start and whenever the page comes back into view.
  useEffect(() => {
    const reattach = () => {
      if (document.visibilityState !== "visible") return;
      utilsRef.current.client.sessions.active.query().then(
        (turns) => {
          for (const turn of turns)
            if (turn.sessionId) streams.attach({ ...turn, sessionId: turn.sessionId });
        },
        () => {}, // offline or signed out: nothing to follow
      );
    };
    reattach();
    document.addEventListener("visibilitychange", reattach);
    return () => document.removeEventListener("visibilitychange", reattach);
  }, [streams]);

  return <ChatStreamsContext value={streams}>{children}</ChatStreamsContext>;
}
