import { i18n } from "@lingui/core";
import { msg, plural } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { keepPreviousData } from "@tanstack/react-query";
import { PencilLine, SearchX, UsersRound } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { Avatar } from "../../components/Avatar.tsx";
import { EditAccessDialog } from "../../components/admin/EditAccessDialog.tsx";
import { BACK_TO_ADMIN, NotAllowed } from "../../components/admin/NotAllowed.tsx";
import {
  type AdminUser,
  isRole,
  ROLE_LABELS,
  ROLES,
  type SortOrder,
  type UserRole,
  type UserSort,
} from "../../components/admin/types.ts";
import { RoleBadge } from "../../components/RoleBadge.tsx";
import { Button } from "../../components/ui/Button.tsx";
import { StatusBadge } from "../../components/ui/badges.tsx";
import { type Column, DataTable } from "../../components/ui/DataTable.tsx";
import { QueryError } from "../../components/ui/QueryError.tsx";
import { PageHeader } from "../../components/ui/Section.tsx";
import { labelledOptions, SelectField } from "../../components/ui/SelectField.tsx";
import { Spinner } from "../../components/ui/Spinner.tsx";
import { EmptyState, LoadingBlock } from "../../components/ui/states.tsx";
import { TextField } from "../../components/ui/TextField.tsx";
import { useCurrentUser } from "../../lib/current-user.ts";
import { formatDate, formatDateTime, formatNumber, formatRelative } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { useUrlList } from "../../lib/url-list.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

const PAGE_SIZES = [10, 20, 50, 100] as const;
const SORTS = [
  "createdAt",
  "email",
  "username",
  "displayName",
  "lastLoginAt",
] as const satisfies readonly UserSort[];
const SEARCH_DELAY_MS = 300;

function isSort(value: string | null): value is UserSort {
  return SORTS.some((sort) => sort === value);
}

/** The list's query lives in the URL, so it survives a reload and Back returns to it. */
function useListParams() {
  const { params, page, update } = useUrlList({ replaceFilterChanges: true });
  const sizeParam = Number(params.get("size"));
  const roleParam = params.get("role");
  const activeParam = params.get("active");
  const sortParam = params.get("sort");
  const sort: UserSort = isSort(sortParam) ? sortParam : "createdAt";
  const order: SortOrder = params.get("order") === "asc" ? "asc" : "desc";
  const query = {
    page,
    size: PAGE_SIZES.find((size) => size === sizeParam) ?? 20,
    search: params.get("q") ?? "",
    role: isRole(roleParam) ? roleParam : undefined,
    active: activeParam === "true" ? true : activeParam === "false" ? false : undefined,
    sort,
    order,
  };

  return { query, update };
}

export function UsersPage() {
  const { t } = useLingui();
  useDocumentTitle(t`Users`);
  const me = useCurrentUser();
  const isAdmin = me.role === "admin";
  const { query, update } = useListParams();
  const [searchText, setSearchText] = useState(query.search);
  const [editing, setEditing] = useState<AdminUser | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // The URL's search changed from elsewhere (the Users tab, Back): the input follows it.
  const [urlSearch, setUrlSearch] = useState(query.search);
  if (query.search !== urlSearch) {
    setUrlSearch(query.search);
    if (query.search !== searchText.trim()) setSearchText(query.search);
  }

  // Searches as the person types, once they pause.
  const updateRef = useRef(update);
  updateRef.current = update;
  useEffect(() => {
    const next = searchText.trim();
    if (next === query.search) return;
    const timer = setTimeout(() => updateRef.current({ q: next }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [searchText, query.search]);

  const list = trpc.admin.users.list.useQuery(
    {
      page: query.page,
      size: query.size,
      ...(query.search ? { search: query.search } : {}),
      ...(query.role ? { role: query.role } : {}),
      ...(query.active !== undefined ? { active: query.active } : {}),
      sort: query.sort,
      order: query.order,
    },
    { placeholderData: keepPreviousData },
  );

  const sortBy = (field: UserSort) => {
    if (field === query.sort) return update({ sort: field, order: query.order === "asc" ? "desc" : "asc" });
    const dates = field === "createdAt" || field === "lastLoginAt";
    update({ sort: field, order: dates ? "desc" : "asc" });
  };
  const sortProps = (field: UserSort) => ({
    active: query.sort === field,
    order: query.order,
    onSort: () => sortBy(field),
  });
  const filtered = Boolean(query.search || query.role || query.active !== undefined);

  const columns: Column<AdminUser>[] = [
    {
      header: t`Name`,
      sort: sortProps("displayName"),
      cell: (user) => (
        <div className="flex items-center gap-3 max-sm:flex-row-reverse">
          <Avatar name={user.displayName} />
          <div className="min-w-0">
            <Link
              to={`/admin/users/${user.id}`}
              className="rounded font-medium text-fg underline-offset-2 hover:text-brand-text hover:underline"
            >
              {user.displayName}
            </Link>
            <p className="text-xs text-fg-muted">@{user.username}</p>
          </div>
        </div>
      ),
    },
    {
      header: t`Email`,
      sort: sortProps("email"),
      className: "text-fg-muted max-sm:break-all",
      cell: (user) => user.email,
    },
    { header: t`Role`, cell: (user) => <RoleBadge role={user.role} /> },
    { header: t`Status`, cell: (user) => <StatusBadge active={user.active} /> },
    {
      header: t`Joined`,
      sort: sortProps("createdAt"),
      className: "whitespace-nowrap text-fg-muted",
      cell: (user) => <time dateTime={user.createdAt.toISOString()}>{formatDate(user.createdAt)}</time>,
    },
    {
      header: t`Last sign-in`,
      sort: sortProps("lastLoginAt"),
      className: "whitespace-nowrap text-fg-muted",
      cell: (user) =>
        user.lastLoginAt ? (
          <time dateTime={user.lastLoginAt.toISOString()} title={formatDateTime(user.lastLoginAt)}>
            {formatRelative(user.lastLoginAt)}
          </time>
        ) : (
          <Trans>Never</Trans>
        ),
    },
    ...(isAdmin
      ? [
          {
            header: t`Actions`,
            hideHeader: true,
            numeric: true,
            cell: (user: AdminUser) => (
              <Button
                variant="secondary"
                className="h-8 px-2.5 text-xs"
                aria-label={editAccessLabel(user.displayName)}
                icon={<PencilLine aria-hidden="true" className="size-3.5" />}
                onClick={() => {
                  setNotice(null);
                  setEditing(user);
                }}
              >
                <Trans>Edit</Trans>
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <div className="space-y-6">
      <PageHeader
        title={t`Users`}
        description={
          isAdmin
            ? t`Find people, manage their credits, and change their role or access.`
            : t`Find people and manage their credits.`
        }
      />

      <search className="grid grid-cols-2 gap-3 sm:grid-cols-[minmax(0,1fr)_10rem_10rem]">
        <form
          className="col-span-2 sm:col-span-1"
          onSubmit={(event) => {
            event.preventDefault();
            update({ q: searchText.trim() });
          }}
        >
          <TextField
            label={t`Search`}
            name="q"
            type="search"
            placeholder={t`Name, username or email`}
            autoComplete="off"
            spellCheck={false}
            value={searchText}
            onChange={(event) => setSearchText(event.target.value)}
            className="[&_input]:h-10"
          />
        </form>
        <SelectField
          label={t`Role`}
          value={query.role ?? ""}
          onChange={(event) => update({ role: event.target.value })}
          options={[{ value: "", label: t`All roles` }, ...labelledOptions(ROLES, ROLE_LABELS)]}
        />
        <SelectField
          label={t`Status`}
          value={query.active === undefined ? "" : String(query.active)}
          onChange={(event) => update({ active: event.target.value })}
        >
          <option value="">{t`Any status`}</option>
          <option value="true">{t`Active`}</option>
          <option value="false">{t`Inactive`}</option>
        </SelectField>
      </search>

      {notice && (
        <p
          role="status"
          className="rounded-lg border border-emerald-500/25 bg-emerald-500/10 px-3.5 py-2.5 text-sm text-fg"
        >
          {notice}
        </p>
      )}

      <section
        aria-labelledby="users-table-heading"
        aria-busy={list.isFetching || undefined}
        className="overflow-hidden rounded-2xl border border-border bg-surface shadow-sm"
      >
        <div className="flex items-center justify-between gap-3 border-b border-border px-5 py-3.5">
          <h2 id="users-table-heading" className="text-sm font-semibold text-fg">
            {list.data ? userCount(list.data.total) : <Trans>Users</Trans>}
            {filtered && (
              <span className="font-normal text-fg-muted">
                {" "}
                <Trans>matching your filters</Trans>
              </span>
            )}
          </h2>
          <div className="flex items-center gap-3">
            {list.isFetching && !list.isPending && <Spinner className="size-4 text-fg-muted" />}
            <label className="flex items-center gap-2 text-sm text-fg-muted">
              <Trans>Per page</Trans>
              <select
                value={query.size}
                onChange={(event) => update({ size: event.target.value })}
                className="h-8 rounded-md border border-border bg-surface px-2 text-sm text-fg"
              >
                {PAGE_SIZES.map((size) => (
                  <option key={size} value={size}>
                    {size}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </div>

        {list.isPending ? (
          <LoadingBlock label={t`Loading users…`} />
        ) : list.isError && !list.data ? (
          <div className="p-5">
            <QueryError
              query={list}
              title={t`Couldn't load users`}
              forbidden={<NotAllowed back={BACK_TO_ADMIN} />}
            />
          </div>
        ) : list.data.items.length === 0 ? (
          filtered ? (
            <EmptyState icon={SearchX} title={t`No users match`}>
              <Trans>Try a different search or clear the filters.</Trans>
            </EmptyState>
          ) : (
            <EmptyState icon={UsersRound} title={t`No users yet`} />
          )
        ) : (
          <DataTable
            label={t`Users`}
            columns={columns}
            rows={list.data.items}
            rowKey={(user) => user.id}
            busy={list.isFetching}
            stackOnPhone
            page={{ ...list.data, onPage: (page) => update({ page }) }}
          />
        )}
      </section>

      {editing && (
        <EditAccessDialog
          user={editing}
          isSelf={editing.id === me.id}
          onClose={() => setEditing(null)}
          onSaved={(user) => {
            setEditing(null);
            setNotice(savedNotice(user.displayName, user.role, user.active));
          }}
        />
      )}
    </div>
  );
}

function userCount(total: number): string {
  const count = formatNumber(total);
  return plural(total, { one: `${count} user`, other: `${count} users` });
}

function editAccessLabel(name: string): string {
  return i18n._(msg`Edit access for ${name}`);
}

/** One whole sentence per role and status, so each reads naturally in every language. */
function savedNotice(name: string, role: UserRole, active: boolean): string {
  if (active) {
    if (role === "admin") return i18n._(msg`Saved: ${name} is now an admin and active.`);
    if (role === "supervisor") return i18n._(msg`Saved: ${name} is now a supervisor and active.`);
    return i18n._(msg`Saved: ${name} is now a user and active.`);
  }
  if (role === "admin") return i18n._(msg`Saved: ${name} is now an admin and inactive.`);
  if (role === "supervisor") return i18n._(msg`Saved: ${name} is now a supervisor and inactive.`);
  return i18n._(msg`Saved: ${name} is now a user and inactive.`);
}
