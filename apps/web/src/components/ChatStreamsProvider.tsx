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
          await Promise.allSettled([
            u.sessions.get.invalidate({ sessionId }),
            u.sessions.list.invalidate(),
            u.accounting.balance.invalidate(),
            u.accounting.history.invalidate(),
            u.accounting.usage.stats.invalidate(),
          ]);
        },
      }),
  );
  useEffect(() => () => streams.close(), [streams]);

  return <ChatStreamsContext value={streams}>{children}</ChatStreamsContext>;
}
