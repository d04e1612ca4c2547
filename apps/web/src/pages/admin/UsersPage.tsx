import { keepPreviousData } from "@tanstack/react-query";
import { PencilLine, SearchX, UsersRound } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { Avatar } from "../../components/Avatar.tsx";
import { EditAccessDialog } from "../../components/admin/EditAccessDialog.tsx";
import { Pagination } from "../../components/admin/Pagination.tsx";
import { QueryError } from "../../components/admin/QueryError.tsx";
import {
  type AdminUser,
  isRole,
  ROLE_LABELS,
  ROLES,
  type SortOrder,
  type UserRole,
  type UserSort,
} from "../../components/admin/types.ts";
import {
  EmptyState,
  LoadingBlock,
  PageHeader,
  SelectField,
  SortableHeader,
  StatusBadge,
  TABLE,
  TableScroll,
  TD,
  TH,
} from "../../components/admin/ui.tsx";
import { Button } from "../../components/Button.tsx";
import { RoleBadge } from "../../components/RoleBadge.tsx";
import { Spinner } from "../../components/Spinner.tsx";
import { TextField } from "../../components/TextField.tsx";
import { useCurrentUser } from "../../lib/current-user.ts";
import { formatDate, formatDateTime, formatRelative } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
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
  const [params, setParams] = useSearchParams();
  const pageParam = Number(params.get("page"));
  const sizeParam = Number(params.get("size"));
  const roleParam = params.get("role");
  const activeParam = params.get("active");
  const sortParam = params.get("sort");
  const sort: UserSort = isSort(sortParam) ? sortParam : "createdAt";
  const order: SortOrder = params.get("order") === "asc" ? "asc" : "desc";
  const query = {
    page: Number.isInteger(pageParam) && pageParam >= 1 ? pageParam : 1,
    size: PAGE_SIZES.find((size) => size === sizeParam) ?? 20,
    search: params.get("q") ?? "",
    role: isRole(roleParam) ? roleParam : undefined,
    active: activeParam === "true" ? true : activeParam === "false" ? false : undefined,
    sort,
    order,
  };

  /** Changes some parameters; any change but the page itself goes back to the first page. */
  const update = (changes: Record<string, string | number | undefined>) => {
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const [key, value] of Object.entries(changes)) {
          if (value === undefined || value === "") next.delete(key);
          else next.set(key, String(value));
        }
        if (!("page" in changes)) next.delete("page");
        return next;
      },
      { replace: !("page" in changes) },
    );
  };
  return { query, update };
}

export function UsersPage() {
  useDocumentTitle("Users");
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

  return (
    <div className="space-y-6">
      <PageHeader
        title="Users"
        description={
          isAdmin
            ? "Find people, manage their credits, and change their role or access."
            : "Find people and manage their credits."
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
            label="Search"
            name="q"
            type="search"
            placeholder="Name, username or email"
            autoComplete="off"
            spellCheck={false}
            value={searchText}
            onChange={(event) => setSearchText(event.target.value)}
            className="[&_input]:h-10"
          />
        </form>
        <SelectField
          label="Role"
          value={query.role ?? ""}
          onChange={(event) => update({ role: event.target.value })}
        >
          <option value="">All roles</option>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {ROLE_LABELS[role]}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Status"
          value={query.active === undefined ? "" : String(query.active)}
          onChange={(event) => update({ active: event.target.value })}
        >
          <option value="">Any status</option>
          <option value="true">Active</option>
          <option value="false">Inactive</option>
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
            {list.data
              ? `${list.data.total.toLocaleString()} ${list.data.total === 1 ? "user" : "users"}`
              : "Users"}
            {filtered && <span className="font-normal text-fg-muted"> matching your filters</span>}
          </h2>
          <div className="flex items-center gap-3">
            {list.isFetching && !list.isPending && <Spinner className="size-4 text-fg-muted" />}
            <label className="flex items-center gap-2 text-sm text-fg-muted">
              Per page
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
          <LoadingBlock label="Loading users…" />
        ) : list.isError && !list.data ? (
          <div className="p-5">
            <QueryError
              error={list.error}
              onRetry={() => void list.refetch()}
              retrying={list.isFetching}
              title="Couldn't load users"
              forbidden="page"
            />
          </div>
        ) : list.data.items.length === 0 ? (
          filtered ? (
            <EmptyState icon={SearchX} title="No users match">
              Try a different search or clear the filters.
            </EmptyState>
          ) : (
            <EmptyState icon={UsersRound} title="No users yet" />
          )
        ) : (
          <>
            <TableScroll label="Users">
              <table className={TABLE}>
                <thead>
                  <tr>
                    <SortableHeader label="Name" {...sortProps("displayName")} />
                    <SortableHeader label="Email" {...sortProps("email")} />
                    <th scope="col" className={TH}>
                      Role
                    </th>
                    <th scope="col" className={TH}>
                      Status
                    </th>
                    <SortableHeader label="Joined" {...sortProps("createdAt")} />
                    <SortableHeader label="Last sign-in" {...sortProps("lastLoginAt")} />
                    {isAdmin && (
                      <th scope="col" className={`${TH} text-right`}>
                        <span className="sr-only">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((user) => (
                    <tr key={user.id} className="transition-colors hover:bg-surface-muted/50">
                      <td className={TD}>
                        <div className="flex items-center gap-3">
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
                      </td>
                      <td className={`${TD} text-fg-muted`}>{user.email}</td>
                      <td className={TD}>
                        <RoleBadge role={user.role} />
                      </td>
                      <td className={TD}>
                        <StatusBadge active={user.active} />
                      </td>
                      <td className={`${TD} whitespace-nowrap text-fg-muted`}>
                        <time dateTime={user.createdAt.toISOString()}>{formatDate(user.createdAt)}</time>
                      </td>
                      <td className={`${TD} whitespace-nowrap text-fg-muted`}>
                        {user.lastLoginAt ? (
                          <time
                            dateTime={user.lastLoginAt.toISOString()}
                            title={formatDateTime(user.lastLoginAt)}
                          >
                            {formatRelative(user.lastLoginAt)}
                          </time>
                        ) : (
                          "Never"
                        )}
                      </td>
                      {isAdmin && (
                        <td className={`${TD} text-right`}>
                          <Button
                            variant="secondary"
                            className="h-8 px-2.5 text-xs"
                            aria-label={`Edit access for ${user.displayName}`}
                            icon={<PencilLine aria-hidden="true" className="size-3.5" />}
                            onClick={() => {
                              setNotice(null);
                              setEditing(user);
                            }}
                          >
                            Edit
                          </Button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            <Pagination
              label="Users pages"
              page={list.data.page}
              pages={list.data.pages}
              size={list.data.size}
              total={list.data.total}
              onPage={(page) => update({ page })}
            />
          </>
        )}
      </section>

      {editing && (
        <EditAccessDialog
          user={editing}
          isSelf={editing.id === me.id}
          onClose={() => setEditing(null)}
          onSaved={(user) => {
            setEditing(null);
            setNotice(
              `Saved: ${user.displayName} is now ${roleSentence(user.role)} and ${user.active ? "active" : "inactive"}.`,
            );
          }}
        />
      )}
    </div>
  );
}

function roleSentence(role: UserRole): string {
  return role === "admin" ? "an admin" : role === "supervisor" ? "a supervisor" : "a user";
}
