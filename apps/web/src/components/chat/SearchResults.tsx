import { Trans, useLingui } from "@lingui/react/macro";
import { useInfiniteQuery } from "@tanstack/react-query";
import { getQueryKey } from "@trpc/react-query";
import { NavLink } from "react-router";
import type { RouterOutputs } from "../../lib/api-types.ts";
import { trpc } from "../../lib/trpc.ts";
import { Button } from "../ui/Button.tsx";
import { QueryError } from "../ui/QueryError.tsx";

const PAGE_SIZE = 20;

type SearchHit = RouterOutputs["sessions"]["search"]["items"][number];
type Segment = SearchHit["titleSegments"][number];

/**
 * Matches marked with <mark>: the server cuts the text into plain and matching runs, so user text
 * is only ever rendered as text, never as markup.
 */
function Highlighted({ segments }: { segments: Segment[] }) {
  return segments.map((segment, index) =>
    segment.match ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the runs of one text never reorder.
      <mark key={index} className="rounded-sm bg-amber-300/60 px-0.5 text-inherit dark:bg-amber-400/30">
        {segment.text}
      </mark>
    ) : (
      // biome-ignore lint/suspicious/noArrayIndexKey: the runs of one text never reorder.
      <span key={index}>{segment.text}</span>
    ),
  );
}

/** Full-text search results over titles and messages (sessions.search), a page at a time. */
export function SearchResults({ term, onNavigate }: { term: string; onNavigate: () => void }) {
  const { t } = useLingui();
  const utils = trpc.useUtils();
  const query = useInfiniteQuery({
    queryKey: getQueryKey(trpc.sessions.search, { query: term }, "infinite"),
    initialPageParam: 1,
    queryFn: ({ pageParam, signal }) =>
      utils.client.sessions.search.query({ query: term, page: pageParam, size: PAGE_SIZE }, { signal }),
    getNextPageParam: (last) => (last.page < last.pages ? last.page + 1 : undefined),
    placeholderData: (previous) => previous,
  });
  const hits = query.data?.pages.flatMap((page) => page.items) ?? [];

  if (query.isPending)
    return (
      <p className="px-3 pt-4 text-sm text-fg-muted">
        <Trans>Searching…</Trans>
      </p>
    );
  if (query.isError && hits.length === 0) {
    return <QueryError query={query} title={t`Couldn't search your chats`} className="px-1 pt-1" />;
  }
  if (hits.length === 0) {
    return (
      <p className="px-3 pt-4 text-center text-sm text-fg-muted">
        <Trans>No chats match “{term}”.</Trans>
      </p>
    );
  }
  const total = query.data?.pages[0]?.total ?? hits.length;
  return (
    <nav aria-label={t`Search results`} aria-busy={query.isFetching || undefined}>
      <h2 className="px-3 pt-2 pb-1 text-xs font-semibold tracking-wide text-fg-muted uppercase">
        <Trans>Results ({total})</Trans>
      </h2>
      <ul className="space-y-0.5">
        {hits.map((hit) => (
          <li key={hit.id}>
            <NavLink
              to={`/chat/${hit.id}`}
              onClick={onNavigate}
              className={({ isActive }) =>
                `block rounded-lg px-3 py-2 text-fg transition-colors ${isActive ? "bg-brand-soft" : "hover:bg-surface-muted"}`
              }
            >
              <span className="block truncate text-sm font-medium">
                <Highlighted segments={hit.titleSegments} />
              </span>
              {hit.snippet && (
                <span className="mt-0.5 line-clamp-2 text-xs text-fg-muted">
                  <span className="sr-only">{hit.snippet.role === "user" ? "You said: " : "Answer: "}</span>
                  <Highlighted segments={hit.snippet.segments} />
                </span>
              )}
            </NavLink>
          </li>
        ))}
      </ul>
      {query.hasNextPage && (
        <div className="px-1 pt-2">
          <Button
            variant="secondary"
            className="h-9 w-full"
            loading={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            <Trans>More results</Trans>
          </Button>
        </div>
      )}
    </nav>
  );
}
