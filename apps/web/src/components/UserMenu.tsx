import { Trans, useLingui } from "@lingui/react/macro";
import { ChevronDown, LogOut, UserRound } from "lucide-react";
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { Link } from "react-router";
import type { CurrentUser } from "../lib/current-user.ts";
import { useSessionActions } from "../lib/session-actions.ts";
import { Avatar } from "./Avatar.tsx";

const ITEM =
  "flex w-full items-center gap-2.5 rounded-lg px-3 py-2 text-left text-sm text-fg transition-colors hover:bg-surface-muted focus:bg-surface-muted focus:outline-none disabled:opacity-60";

function menuItems(menu: HTMLElement | null): HTMLElement[] {
  return Array.from(menu?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
}

/** A menu button following the WAI-ARIA pattern: arrow keys move, Escape closes and returns focus. */
export function UserMenu({ user }: { user: CurrentUser }) {
  const { t } = useLingui();
  const { signOut, pending } = useSessionActions();
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const displayName = user.displayName;

  const close = (restoreFocus: boolean) => {
    setOpen(false);
    if (restoreFocus) buttonRef.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    menuItems(menuRef.current)[0]?.focus();
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target;
      if (
        target instanceof Node &&
        (menuRef.current?.contains(target) || buttonRef.current?.contains(target))
      )
        return;
      setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const list = menuItems(menuRef.current);
    const active = document.activeElement;
    const index = active instanceof HTMLElement ? list.indexOf(active) : -1;
    const focusAt = (i: number) => list[(i + list.length) % list.length]?.focus();
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        focusAt(index + 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        focusAt(index - 1);
        break;
      case "Home":
        event.preventDefault();
        focusAt(0);
        break;
      case "End":
        event.preventDefault();
        focusAt(list.length - 1);
        break;
      case "Escape":
        event.preventDefault();
        close(true);
        break;
      case "Tab":
        // Let focus move on naturally; a menu left behind open would trap nothing but look stuck.
        setOpen(false);
        break;
    }
  };

  return (
    <div className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((wasOpen) => !wasOpen)}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
        className="flex items-center gap-2 rounded-full p-1 transition-colors hover:bg-surface-muted sm:pr-2.5"
      >
        <Avatar name={user.displayName} />
        <span className="sr-only">
          <Trans>Account menu for {displayName}</Trans>
        </span>
        <span aria-hidden="true" className="hidden max-w-40 truncate text-sm font-medium text-fg sm:block">
          {user.displayName}
        </span>
        <ChevronDown
          aria-hidden="true"
          className={`hidden size-4 text-fg-muted transition-transform sm:block ${open ? "rotate-180" : ""}`}
        />
      </button>

      {open && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={t`Account`}
          tabIndex={-1}
          onKeyDown={onMenuKeyDown}
          className="absolute right-0 z-40 mt-2 w-64 max-w-[calc(100vw-2rem)] rounded-xl border border-border bg-surface p-1.5 shadow-xl shadow-black/10"
        >
          <div role="none" className="mb-1 border-b border-border px-3 pt-2 pb-3">
            <p className="truncate text-sm font-semibold text-fg">{user.displayName}</p>
            <p className="truncate text-xs text-fg-muted">{user.email}</p>
          </div>
          <Link to="/profile" role="menuitem" tabIndex={-1} className={ITEM} onClick={() => close(false)}>
            <UserRound aria-hidden="true" className="size-4 text-fg-muted" />
            <Trans>Your profile</Trans>
          </Link>
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            disabled={pending !== null}
            className={ITEM}
            onClick={() => {
              close(false);
              signOut("this-device");
            }}
          >
            <LogOut aria-hidden="true" className="size-4 text-fg-muted" />
            <Trans>Sign out</Trans>
          </button>
        </div>
      )}
    </div>
  );
}
