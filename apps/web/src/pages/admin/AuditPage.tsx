import { Trans, useLingui } from "@lingui/react/macro";
import { keepPreviousData } from "@tanstack/react-query";
import { ScrollText, SearchX } from "lucide-react";
import { useState } from "react";
import {
  AUDIT_ACTION_LABELS,
  AUDIT_ACTIONS,
  changeLines,
  isAuditAction,
} from "../../components/admin/audit-format.ts";
import { BACK_TO_ADMIN, NotAllowed } from "../../components/admin/NotAllowed.tsx";
import { RequireAdmin } from "../../components/admin/RequireAdmin.tsx";
import type { AuditEvent } from "../../components/admin/types.ts";
import { RoleBadge } from "../../components/RoleBadge.tsx";
import { Button } from "../../components/ui/Button.tsx";
import { type Column, DataTable } from "../../components/ui/DataTable.tsx";
import { QueryError } from "../../components/ui/QueryError.tsx";
import { PageHeader } from "../../components/ui/Section.tsx";
import { labelledOptions, SelectField } from "../../components/ui/SelectField.tsx";
import { EmptyState, LoadingBlock } from "../../components/ui/states.tsx";
import { TextField } from "../../components/ui/TextField.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { isUuid } from "../../lib/ids.ts";
import { trpc } from "../../lib/trpc.ts";
import { useUrlList } from "../../lib/url-list.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

const PAGE_SIZE = 25;

/** The filters live in the URL, so a filtered view survives a reload and can be shared. */
function useAuditParams() {
  const { params, page, update } = useUrlList();
  const actionParam = params.get("action");
  const actorParam = params.get("actor");
  const query = {
    page,
    action: isAuditAction(actionParam) ? actionParam : undefined,
    actorId: isUuid(actorParam) ? actorParam : undefined,
    targetId: params.get("target")?.trim().slice(0, 200) || undefined,
  };
  return { query, update };
}

export function AuditPage() {
  const { t } = useLingui();
  return (
    <RequireAdmin reason={t`Only admins read the audit trail.`}>
      <AuditTrail />
    </RequireAdmin>
  );
}

function AuditTrail() {
  const { t } = useLingui();
  useDocumentTitle(t`Audit trail`);
  const { query, update } = useAuditParams();
  const list = trpc.admin.audit.list.useQuery(
    { ...query, size: PAGE_SIZE },
    { placeholderData: keepPreviousData },
  );
  const filtered = Boolean(query.action || query.actorId || query.targetId);

  const columns: Column<AuditEvent>[] = [
    {
      header: t`When`,
      cell: (event) => (
        <time dateTime={event.createdAt.toISOString()} className="whitespace-nowrap text-fg-muted">
          {formatDateTime(event.createdAt)}
        </time>
      ),
    },
    {
      header: t`Who`,
      cell: (event) => (
        <div className="space-y-1">
          <button
            type="button"
            className="rounded text-left font-medium text-fg underline-offset-2 hover:text-brand-text hover:underline"
            title={t`Show only this person's actions`}
            onClick={() => update({ actor: event.actor.id })}
          >
            {event.actor.displayName ?? event.actor.id}
          </button>
          <div className="flex items-center gap-2 text-xs text-fg-muted">
            <RoleBadge role={event.actor.role} />
            {event.actor.email}
          </div>
        </div>
      ),
    },
    { header: t`Action`, cell: (event) => AUDIT_ACTION_LABELS[event.action] },
    {
      header: t`Target`,
      cell: (event) => (
        <button
          type="button"
          className="max-w-64 rounded text-left underline-offset-2 hover:text-brand-text hover:underline"
          title={t`Show only actions on this target`}
          onClick={() => update({ target: event.targetId })}
        >
          {event.targetUser ? (
            <>
              <span className="font-medium">{event.targetUser.displayName}</span>
              <span className="block text-xs text-fg-muted">{event.targetUser.email}</span>
            </>
          ) : (
            <span className="break-all">
              <span className="text-fg-muted">{event.targetType} </span>
              {event.targetId}
            </span>
          )}
        </button>
      ),
    },
    { header: t`Change`, cell: (event) => <ChangeList event={event} /> },
    {
      header: t`Request`,
      cell: (event) => (
        <span className="font-mono text-xs text-fg-muted">
          {event.requestId ?? "—"}
          {event.ipAddress && <span className="block">{event.ipAddress}</span>}
        </span>
      ),
    },
  ];

  return (
    <div className="space-y-6">
      <PageHeader
        title={t`Audit trail`}
        description={t`Every change admins and supervisors made: who, to what, from what to what, and when.`}
      />
      <AuditFilters query={query} update={update} />
      <section
        aria-label={t`Audit records`}
        aria-busy={list.isFetching || undefined}
        className="overflow-hidden rounded-2xl border border-border bg-surface shadow-sm"
      >
        {list.isPending ? (
          <LoadingBlock label={t`Loading the audit trail…`} />
        ) : list.isError && !list.data ? (
          <div className="p-5">
            <QueryError
              query={list}
              title={t`Couldn't load the audit trail`}
              forbidden={<NotAllowed back={BACK_TO_ADMIN} />}
            />
          </div>
        ) : list.data.items.length === 0 ? (
          filtered ? (
            <EmptyState icon={SearchX} title={t`No records match`}>
              <Trans>Clear the filters to see every record.</Trans>
            </EmptyState>
          ) : (
            <EmptyState icon={ScrollText} title={t`Nothing recorded yet`} />
          )
        ) : (
          <DataTable
            label={t`Audit records`}
            columns={columns}
            rows={list.data.items}
            rowKey={(e) => e.id}
            page={{ ...list.data, onPage: (page) => update({ page }) }}
          />
        )}
      </section>
    </div>
  );
}

/** Before → after, one line per field; fields that did not change show their value once. */
function ChangeList({ event }: { event: AuditEvent }) {
  const lines = changeLines(event);
  if (lines.length === 0) return <span className="text-fg-muted">—</span>;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
      {lines.map((line) => (
        <div key={line.field} className="contents">
          <dt className="text-fg-muted">{line.label}</dt>
          <dd className="text-fg">
            {line.changed ? (
              <>
                <del className="text-fg-muted">{line.before}</del> →{" "}
                <ins className="no-underline">{line.after}</ins>
              </>
            ) : (
              (line.after ?? line.before)
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

interface FiltersProps {
  query: { action?: string | undefined; actorId?: string | undefined; targetId?: string | undefined };
  update: (changes: Record<string, string | undefined>) => void;
}

function AuditFilters({ query, update }: FiltersProps) {
  const { t } = useLingui();
  const [actor, setActor] = useState(query.actorId ?? "");
  const [target, setTarget] = useState(query.targetId ?? "");
  // The URL changed from elsewhere (a click on a row, Back): the inputs follow it.
  const [seen, setSeen] = useState({ actor: query.actorId, target: query.targetId });
  if (seen.actor !== query.actorId || seen.target !== query.targetId) {
    setSeen({ actor: query.actorId, target: query.targetId });
    setActor(query.actorId ?? "");
    setTarget(query.targetId ?? "");
  }
  const actorInvalid = actor.trim() !== "" && !isUuid(actor.trim());
  return (
    <search>
      <form
        className="grid grid-cols-1 items-end gap-3 sm:grid-cols-[12rem_minmax(0,1fr)_minmax(0,1fr)_auto]"
        onSubmit={(event) => {
          event.preventDefault();
          if (!actorInvalid) update({ actor: actor.trim(), target: target.trim() });
        }}
      >
        <SelectField
          label={t`Action`}
          value={query.action ?? ""}
          onChange={(e) => update({ action: e.target.value })}
          options={[
            { value: "", label: t`All actions` },
            ...labelledOptions(AUDIT_ACTIONS, AUDIT_ACTION_LABELS),
          ]}
        />
        <TextField
          label={t`Actor id`}
          name="actor"
          autoComplete="off"
          spellCheck={false}
          placeholder={t`The user id of who acted`}
          value={actor}
          onChange={(event) => setActor(event.target.value)}
          error={actorInvalid ? t`A user id looks like 0f8c…-…: copy it from a record.` : undefined}
          className="[&_input]:h-10"
        />
        <TextField
          label={t`Target id`}
          name="target"
          autoComplete="off"
          spellCheck={false}
          placeholder={t`A user, key, invitation or model id`}
          value={target}
          onChange={(event) => setTarget(event.target.value)}
          className="[&_input]:h-10"
        />
        <div className="flex gap-2">
          <Button type="submit" className="h-10">
            <Trans>Filter</Trans>
          </Button>
          <Button
            type="button"
            variant="secondary"
            className="h-10"
            onClick={() => update({ actor: undefined, target: undefined, action: undefined })}
          >
            <Trans>Clear</Trans>
          </Button>
        </div>
      </form>
    </search>
  );
}
