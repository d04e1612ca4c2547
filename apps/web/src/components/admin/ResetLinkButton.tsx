import { Trans, useLingui } from "@lingui/react/macro";
import { KeyRound } from "lucide-react";
import { useState } from "react";
import { errorMessage } from "../../lib/errors.ts";
import { trpc } from "../../lib/trpc.ts";
import { Alert } from "../ui/Alert.tsx";
import { Button } from "../ui/Button.tsx";
import { Dialog } from "../ui/Dialog.tsx";
import { OneTimeLink } from "./OneTimeLink.tsx";

/** Issues a one-time password-reset link for the account (admins only; no mail server needed). */
export function ResetLinkButton({ userId, name }: { userId: string; name: string }) {
  const { t } = useLingui();
  const [open, setOpen] = useState(false);
  const mutation = trpc.admin.users.createPasswordReset.useMutation();
  return (
    <>
      <Button
        variant="secondary"
        className="shrink-0"
        icon={<KeyRound aria-hidden="true" className="size-4" />}
        onClick={() => {
          setOpen(true);
          mutation.mutate({ userId });
        }}
      >
        <Trans>Reset link</Trans>
      </Button>
      {open && (
        <Dialog
          title={t`Password-reset link`}
          description={t`Give this link to ${name}. It lets them choose a new password once, within 24 hours; earlier links stop working.`}
          onClose={() => {
            setOpen(false);
            mutation.reset();
          }}
        >
          {mutation.error && <Alert title={t`No link issued`}>{errorMessage(mutation.error)}</Alert>}
          {mutation.data && (
            <OneTimeLink
              label={t`Reset link`}
              copyLabel={t`Copy reset link`}
              url={mutation.data.url}
              note={t`Shown once: it is not stored.`}
            />
          )}
        </Dialog>
      )}
    </>
  );
}
