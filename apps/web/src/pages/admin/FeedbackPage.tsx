import { Trans, useLingui } from "@lingui/react/macro";
import { keepPreviousData } from "@tanstack/react-query";
import { MessageSquareHeart, SearchX, ThumbsDown, ThumbsUp } from "lucide-react";
import { Link } from "react-router";
import { BACK_TO_ADMIN, NotAllowed } from "../../components/admin/NotAllowed.tsx";
import { RequireAdmin } from "../../components/admin/RequireAdmin.tsx";
import { Button } from "../../components/ui/Button.tsx";
import { Pill } from "../../components/ui/badges.tsx";
import { type Column, DataTable } from "../../components/ui/DataTable.tsx";
import { Pagination } from "../../components/ui/Pagination.tsx";
import { QueryError } from "../../components/ui/QueryError.tsx";
import { PageHeader } from "../../components/ui/Section.tsx";
import { SelectField } from "../../components/ui/SelectField.tsx";
import { EmptyState, LoadingBlock } from "../../components/ui/states.tsx";
import type { RouterOutputs } from "../../lib/api-types.ts";
import { formatDateTime } from "../../lib/format.ts";
import { isUuid } from "../../lib/ids.ts";
import { trpc } from "../../lib/trpc.ts";
import { useUrlList } from "../../lib/url-list.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

type FeedbackItem = RouterOutputs["admin"]["feedback"]["list"]["items"][number];

const PAGE_SIZE = 25;

/** The filters live in the URL, so a filtered view survives a reload and can be shared. */
function useFeedbackParams() {
  const { params, page, update } = useUrlList();
  const ratingParam = params.get("rating");
  const rating: FeedbackItem["rating"] | undefined =
    ratingParam === "up" || ratingParam === "down" ? ratingParam : undefined;
  const user = params.get("user");
  const query = {
    page,
    rating,
    modelId: params.get("model")?.trim().slice(0, 200) || undefined,
    userId: isUuid(user) ? user : undefined,
    withComment: params.get("comments") === "1" || undefined,
  };
  return { query, update };
}

export function FeedbackPage() {
  const { t } = useLingui();
  return (
    <RequireAdmin reason={t`Only admins read users' feedback on answers.`}>
      <FeedbackList />
    </RequireAdmin>
  );
}

function FeedbackList() {
  const { t } = useLingui();
  useDocumentTitle(t`Feedback`);
  const { query, update } = useFeedbackParams();
  const list = trpc.admin.feedback.list.useQuery(
    { ...query, size: PAGE_SIZE },
    { placeholderData: keepPreviousData },
  );
  const filtered = Boolean(query.rating || query.modelId || query.userId || query.withComment);

  const columns: Column<FeedbackItem>[] = [
    {
      header: t`When`,
      cell: (item) => (
        <time dateTime={item.updatedAt.toISOString()} className="whitespace-nowrap text-fg-muted">
          {formatDateTime(item.updatedAt)}
        </time>
      ),
    },
    {
      header: t`Rating`,
      cell: (item) =>
        item.rating === "up" ? (
          <Pill tone="good">
            <ThumbsUp aria-hidden="true" className="mr-1 size-3.5" />
            <Trans>Good</Trans>
          </Pill>
        ) : (
          <Pill tone="bad">
            <ThumbsDown aria-hidden="true" className="mr-1 size-3.5" />
            <Trans>Bad</Trans>
          </Pill>
        ),
    },
    {
      header: t`Comment`,
      cell: (item) => (
        <p className="max-w-72 text-sm whitespace-pre-wrap">
          {item.comment ?? <span className="text-fg-muted">—</span>}
        </p>
      ),
    },
    {
      header: t`Model`,
      cell: (item) =>
        item.modelId ? (
          <button
            type="button"
            title={t`Show only this model's ratings`}
            className="rounded text-left font-mono text-xs underline-offset-2 hover:text-brand-text hover:underline"
            onClick={() => update({ model: item.modelId ?? undefined })}
          >
            {item.modelId}
          </button>
        ) : (
          "—"
        ),
    },
    { header: t`Chat`, cell: (item) => <Exchange item={item} /> },
    {
      header: t`User`,
      cell: (item) => (
        <div className="space-y-0.5">
          <Link
            to={`/admin/users/${item.user.id}`}
            className="font-medium text-fg underline-offset-2 hover:text-brand-text hover:underline"
          >
            {item.user.displayName || item.user.email}
          </Link>
          <button
            type="button"
            title={t`Show only this person's ratings`}
            className="block text-xs text-fg-muted underline-offset-2 hover:text-brand-text hover:underline"
            onClick={() => update({ user: item.user.id })}
          >
            {item.user.email}
          </button>
        </div>
      ),
    },
  ];

  const filteredModel = query.modelId;
  return (
    <div className="space-y-6">
      <PageHeader
        title={t`Feedback`}
        description={t`Thumbs up and down that people gave answers, with their comments, the model and the exchange rated.`}
      />
      <search className="flex flex-wrap items-end gap-3">
        <SelectField
          label={t`Rating`}
          value={query.rating ?? ""}
          onChange={(e) => update({ rating: e.target.value })}
          className="w-40"
        >
          <option value="">{t`All ratings`}</option>
          <option value="up">{t`Good`}</option>
          <option value="down">{t`Bad`}</option>
        </SelectField>
        <label className="flex h-10 items-center gap-2 text-sm text-fg">
          <input
            type="checkbox"
            checked={query.withComment ?? false}
            onChange={(e) => update({ comments: e.target.checked ? "1" : undefined })}
            className="size-4 accent-brand"
          />
          <Trans>With a comment</Trans>
        </label>
        {(query.modelId || query.userId) && (
          <p className="flex h-10 items-center text-sm text-fg-muted">
            {filteredModel && (
              <>
                <Trans>Model {filteredModel}.</Trans>{" "}
              </>
            )}
            {query.userId && <Trans>One person's ratings.</Trans>}
          </p>
        )}
        {filtered && (
          <Button
            variant="secondary"
            className="h-10"
            onClick={() =>
              update({ rating: undefined, model: undefined, user: undefined, comments: undefined })
            }
          >
            <Trans>Clear filters</Trans>
          </Button>
        )}
      </search>
      <section
        aria-label={t`Feedback`}
        aria-busy={list.isFetching || undefined}
        className="overflow-hidden rounded-2xl border border-border bg-surface shadow-sm"
      >
        {list.isPending ? (
          <LoadingBlock label={t`Loading feedback…`} />
        ) : list.isError && !list.data ? (
          <div className="p-5">
            <QueryError
              query={list}
              title={t`Couldn't load the feedback`}
              forbidden={<NotAllowed back={BACK_TO_ADMIN} />}
            />
          </div>
        ) : list.data.items.length === 0 ? (
          filtered ? (
            <EmptyState icon={SearchX} title={t`No feedback matches`}>
              <Trans>Clear the filters to see every rating.</Trans>
            </EmptyState>
          ) : (
            <EmptyState icon={MessageSquareHeart} title={t`No feedback yet`}>
              <Trans>Ratings appear here when people press thumbs up or down on an answer.</Trans>
            </EmptyState>
          )
        ) : (
          <>
            <DataTable
              label={t`Feedback on answers`}
              columns={columns}
              rows={list.data.items}
              rowKey={(i) => i.id}
            />
            <Pagination
              label={t`Feedback pages`}
              page={list.data.page}
              pages={list.data.pages}
              size={list.data.size}
              total={list.data.total}
              onPage={(page) => update({ page })}
            />
          </>
        )}
      </section>
    </div>
  );
}

/** The chat's title; the question and the rated answer open beneath it (plain-text excerpts). */
function Exchange({ item }: { item: FeedbackItem }) {
  return (
    <details className="max-w-80">
      <summary className="cursor-pointer font-medium text-fg hover:text-brand-text">
        {item.session.title}
      </summary>
      <dl className="mt-2 space-y-1.5 text-xs">
        {item.questionExcerpt && (
          <div>
            <dt className="font-semibold text-fg-muted">
              <Trans>Question</Trans>
            </dt>
            <dd className="whitespace-normal">{item.questionExcerpt}</dd>
          </div>
        )}
        <div>
          <dt className="font-semibold text-fg-muted">
            <Trans>Answer</Trans>
          </dt>
          <dd className="whitespace-normal">{item.answerExcerpt}</dd>
        </div>
      </dl>
    </details>
  );
}
