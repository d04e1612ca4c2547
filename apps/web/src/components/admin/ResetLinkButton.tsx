import { KeyRound } from "lucide-react";
import { useState } from "react";
import { errorMessage } from "../../lib/errors.ts";
import { trpc } from "../../lib/trpc.ts";
import { Alert } from "../Alert.tsx";
import { Button } from "../Button.tsx";
import { Dialog } from "./Dialog.tsx";
import { OneTimeLink } from "./OneTimeLink.tsx";

/** Issues a one-time password-reset link for the account (admins only; no mail server needed). */
export function ResetLinkButton({ userId, name }: { userId: string; name: string }) {
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
        Reset link
      </Button>
      {open && (
        <Dialog
          title="Password-reset link"
          description={`Give this link to ${name}. It lets them choose a new password once, within 24 hours; earlier links stop working.`}
          onClose={() => {
            setOpen(false);
            mutation.reset();
          }}
        >
          {mutation.error && <Alert title="No link issued">{errorMessage(mutation.error)}</Alert>}
          {mutation.data && (
            <OneTimeLink label="Reset link" url={mutation.data.url} note="Shown once: it is not stored." />
          )}
        </Dialog>
      )}
    </>
  );
}
