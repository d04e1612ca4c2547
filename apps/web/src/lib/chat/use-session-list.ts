import { useInfiniteQuery } from "@tanstack/react-query";
import { getQueryKey } from "@trpc/react-query";
import { useMemo } from "react";
import type { SessionSummary } from "../api-types.ts";
import { trpc } from "../trpc.ts";

const PAGE_SIZE = 30;

/**
 * The signed-in user's chats, newest activity first, a page at a time. sessions.list pages by
 * number (it has no cursor), so this is a plain React Query infinite query; its key sits under
 * tRPC's, so `utils.sessions.list.invalidate()` refreshes it like any other sessions.list query.
 * Searching is sessions.search (components/chat/SearchResults.tsx), over message text too.
 */
export function useSessionList() {
  const utils = trpc.useUtils();
  const query = useInfiniteQuery({
    queryKey: getQueryKey(trpc.sessions.list, {}, "infinite"),
    initialPageParam: 1,
    queryFn: ({ pageParam, signal }) =>
      utils.client.sessions.list.query({ page: pageParam, size: PAGE_SIZE }, { signal }),
    getNextPageParam: (last) => (last.page < last.pages ? last.page + 1 : undefined),
    placeholderData: (previous) => previous,
  });

  // A chat whose activity moved it between pages while they were fetched would appear twice.
  const sessions = useMemo(() => {
    const seen = new Set<string>();
    const list: SessionSummary[] = [];
    for (const page of query.data?.pages ?? []) {
      for (const item of page.items) {
        if (seen.has(item.id)) continue;
        seen.add(item.id);
        list.push(item);
      }
    }
    return list;
  }, [query.data]);

  return { ...query, sessions, total: query.data?.pages[0]?.total ?? 0 };
}
