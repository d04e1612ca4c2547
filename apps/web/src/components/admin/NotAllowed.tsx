import { ArrowLeft, ShieldX } from "lucide-react";
import { ButtonLink } from "../Button.tsx";

interface NotAllowedProps {
  /** What the page is for and who may use it, e.g. "Usage analytics are for admins." */
  reason?: string;
  /** Where to send the person instead. */
  back?: { to: string; label: string };
}

/** The friendly dead end for a page the signed-in role may not use (the API answered FORBIDDEN). */
export function NotAllowed({
  reason = "This part of Parley is for supervisors and admins.",
  back = { to: "/", label: "Back to home" },
}: NotAllowedProps) {
  return (
    <div className="flex flex-col items-center rounded-2xl border border-border bg-surface px-6 py-14 text-center shadow-sm">
      <span className="grid size-12 place-items-center rounded-2xl bg-surface-muted text-fg-muted">
        <ShieldX aria-hidden="true" className="size-6" />
      </span>
      <h1 className="mt-4 text-xl font-semibold tracking-tight text-fg">
        You don't have access to this page
      </h1>
      <p className="mt-2 max-w-md text-sm text-fg-muted">
        {reason} If you need it, ask an admin to change your role.
      </p>
      <ButtonLink to={back.to} variant="secondary" className="mt-6">
        <ArrowLeft aria-hidden="true" className="size-4" />
        {back.label}
      </ButtonLink>
    </div>
  );
}
