import { Link } from "react-router";
import type { CurrentUser } from "../lib/current-user.ts";
import { Logo } from "./Logo.tsx";
import { UserMenu } from "./UserMenu.tsx";

export function TopBar({ user }: { user: CurrentUser }) {
  return (
    <header className="sticky top-0 z-30 border-b border-border bg-surface/85 backdrop-blur-md">
      <div className="mx-auto flex h-16 w-full max-w-4xl items-center justify-between gap-4 px-4 sm:px-6">
        <Link to="/" className="rounded-lg">
          <Logo />
        </Link>
        <UserMenu user={user} />
      </div>
    </header>
  );
}
