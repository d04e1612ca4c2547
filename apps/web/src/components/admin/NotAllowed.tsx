import { i18n } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { ArrowLeft, ShieldX } from "lucide-react";
import { ButtonLink } from "../ui/Button.tsx";

interface NotAllowedProps {
  /** What the page is for and who may use it, e.g. "Usage analytics are for admins." */
  reason?: string;
  /** Where to send the person instead. */
  back?: { to: string; label: string };
}

/** The friendly dead end for a page the signed-in role may not use (the API answered FORBIDDEN). */
export function NotAllowed({ reason, back }: NotAllowedProps) {
  const { t } = useLingui();
  const why = reason ?? t`This part of Parley is for supervisors and admins.`;
  const backTo = back?.to ?? "/";
  const backLabel = back?.label ?? t`Back to home`;
  return (
    <div className="flex flex-col items-center rounded-2xl border border-border bg-surface px-6 py-14 text-center shadow-sm">
      <span className="grid size-12 place-items-center rounded-2xl bg-surface-muted text-fg-muted">
        <ShieldX aria-hidden="true" className="size-6" />
      </span>
      <h1 className="mt-4 text-xl font-semibold tracking-tight text-fg">
        <Trans>You don't have access to this page</Trans>
      </h1>
      <p className="mt-2 max-w-md text-sm text-fg-muted">
        <Trans>{why} If you need it, ask an admin to change your role.</Trans>
      </p>
      <ButtonLink to={backTo} variant="secondary" className="mt-6">
        <ArrowLeft aria-hidden="true" className="size-4" />
        {backLabel}
      </ButtonLink>
    </div>
  );
}

/** Where an admin page the role may not use sends the person back to. */
export const BACK_TO_ADMIN = {
  to: "/admin",
  // A getter, so the label is read in the language active when the page renders.
  get label(): string {
    return i18n._(msg`Back to admin`);
  },
};
