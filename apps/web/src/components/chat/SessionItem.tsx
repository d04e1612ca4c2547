import { Trans, useLingui } from "@lingui/react/macro";
import { MAX_SESSION_TITLE_LENGTH } from "@parley/validators";
import { Pencil, Trash2 } from "lucide-react";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { NavLink } from "react-router";
import type { SessionSummary } from "../../lib/api-types.ts";
import { formatDateTime, formatRelative } from "../../lib/format.ts";
import { Spinner } from "../ui/Spinner.tsx";

interface SessionItemProps {
  session: SessionSummary;
  busy: boolean;
  renaming: boolean;
  onStartRename: () => void;
  onRename: (title: string) => void;
  onCancelRename: () => void;
  onDelete: () => void;
  onNavigate: () => void;
}

const ACTION =
  "grid size-8 place-items-center rounded-md text-fg-muted transition hover:bg-surface hover:text-fg focus-visible:opacity-100 group-hover:opacity-100 group-focus-within:opacity-100 [@media(hover:none)]:opacity-100";

export function SessionItem({
  session,
  busy,
  renaming,
  onStartRename,
  onRename,
  onCancelRename,
  onDelete,
  onNavigate,
}: SessionItemProps) {
  const { t } = useLingui();
  if (renaming) {
    return <RenameForm title={session.title} onRename={onRename} onCancel={onCancelRename} />;
  }
  // sessions.list reads raw rows; depending on the database driver the time may arrive as a string.
  const lastActivity = new Date(session.lastActivityAt);
  const title = session.title;
  return (
    <div className="group relative flex items-center rounded-lg">
      <NavLink
        to={`/chat/${session.id}`}
        onClick={onNavigate}
        className={({ isActive }) =>
          `block min-w-0 flex-1 rounded-lg py-2 pr-3 pl-3 transition-colors group-focus-within:pr-20 group-hover:pr-20 [@media(hover:none)]:pr-20 ${
            isActive ? "bg-brand-soft text-fg" : "text-fg hover:bg-surface-muted"
          }`
        }
      >
        {({ isActive }) => (
          <>
            <span className="flex items-center gap-1.5">
              {busy && <Spinner className="size-3.5 shrink-0 text-brand-text" />}
              <span className={`truncate text-sm ${isActive ? "font-semibold" : "font-medium"}`}>
                {session.title}
              </span>
              {busy && (
                <span className="sr-only">
                  <Trans>(answer in progress)</Trans>
                </span>
              )}
            </span>
            <span className="mt-0.5 block truncate text-xs text-fg-muted">
              <time dateTime={lastActivity.toISOString()} title={formatDateTime(lastActivity)}>
                {formatRelative(lastActivity)}
              </time>
              {session.lastMessagePreview ? ` · ${session.lastMessagePreview}` : ""}
            </span>
          </>
        )}
      </NavLink>
      <div className="absolute top-1/2 right-1.5 flex -translate-y-1/2 items-center gap-0.5">
        <button
          type="button"
          aria-label={t`Rename “${title}”`}
          title={t`Rename`}
          onClick={onStartRename}
          className={`${ACTION} opacity-0`}
        >
          <Pencil aria-hidden="true" className="size-3.5" />
        </button>
        <button
          type="button"
          aria-label={t`Delete “${title}”`}
          title={t`Delete`}
          onClick={onDelete}
          className={`${ACTION} opacity-0 hover:text-danger`}
        >
          <Trash2 aria-hidden="true" className="size-3.5" />
        </button>
      </div>
    </div>
  );
}

function RenameForm({
  title,
  onRename,
  onCancel,
}: {
  title: string;
  onRename: (title: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(title);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const next = value.trim();
    if (!next || next === title) onCancel();
    else onRename(next);
  };

  return (
    <form onSubmit={submit} className="px-1 py-1">
      <label className="sr-only" htmlFor="rename-chat">
        <Trans>Chat title</Trans>
      </label>
      <input
        id="rename-chat"
        ref={inputRef}
        value={value}
        maxLength={MAX_SESSION_TITLE_LENGTH}
        onChange={(event) => setValue(event.target.value)}
        onBlur={() => submit()}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            event.preventDefault();
            onCancel();
          }
        }}
        className="block h-10 w-full rounded-lg border border-brand bg-surface px-3 text-sm text-fg ring-4 ring-brand/15 focus:outline-none"
      />
      <p className="mt-1 px-1 text-xs text-fg-muted">
        <Trans>Enter to save · Esc to cancel</Trans>
      </p>
    </form>
  );
}
