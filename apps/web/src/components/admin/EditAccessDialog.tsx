import { Trans, useLingui } from "@lingui/react/macro";
import { type FormEvent, useId, useState } from "react";
import { errorMessage } from "../../lib/errors.ts";
import { trpc } from "../../lib/trpc.ts";
import { Alert } from "../ui/Alert.tsx";
import { Button } from "../ui/Button.tsx";
import { Dialog } from "../ui/Dialog.tsx";
import { labelledOptions, SelectField } from "../ui/SelectField.tsx";
import { type AdminUser, isRole, ROLE_LABELS, ROLES, type UserRole } from "./types.ts";

interface EditAccessDialogProps {
  user: Pick<AdminUser, "id" | "displayName" | "email" | "role" | "active">;
  /** Admins cannot demote or deactivate themselves; the controls say so up front. */
  isSelf: boolean;
  onClose: () => void;
  onSaved: (user: AdminUser) => void;
}

/** Changes a user's role and whether they may sign in (admins only). */
export function EditAccessDialog({ user, isSelf, onClose, onSaved }: EditAccessDialogProps) {
  const { t } = useLingui();
  const utils = trpc.useUtils();
  const [role, setRole] = useState<UserRole>(user.role);
  const [active, setActive] = useState(user.active);
  const activeHintId = useId();
  const mutation = trpc.admin.users.update.useMutation({
    onSuccess: async (updated) => {
      await Promise.all([
        utils.admin.users.list.invalidate(),
        utils.admin.credits.balanceOf.invalidate({ userId: updated.id }),
      ]);
      onSaved(updated);
    },
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const changes = {
      ...(role !== user.role ? { role } : {}),
      ...(active !== user.active ? { active } : {}),
    };
    if (Object.keys(changes).length === 0) return onClose();
    mutation.mutate({ userId: user.id, ...changes });
  };

  return (
    <Dialog
      title={t`Edit access`}
      description={
        <>
          <span className="font-medium text-fg">{user.displayName}</span> · {user.email}
        </>
      }
      onClose={onClose}
    >
      <form onSubmit={onSubmit} className="space-y-5">
        {mutation.error && <Alert title={t`Access not changed`}>{errorMessage(mutation.error)}</Alert>}
        <SelectField
          label={t`Role`}
          name="role"
          value={role}
          disabled={isSelf}
          onChange={(event) => {
            if (isRole(event.target.value)) setRole(event.target.value);
          }}
          hint={
            isSelf
              ? t`You can't remove your own admin role; another admin has to.`
              : t`Supervisors manage users' credits; admins can do everything.`
          }
          options={labelledOptions(ROLES, ROLE_LABELS)}
        />
        <div className="flex items-start gap-3">
          <input
            id={`${activeHintId}-input`}
            type="checkbox"
            checked={active}
            disabled={isSelf}
            onChange={(event) => setActive(event.target.checked)}
            aria-describedby={activeHintId}
            className="mt-0.5 size-4.5 shrink-0 rounded accent-brand"
          />
          <div>
            <label htmlFor={`${activeHintId}-input`} className="text-sm font-medium text-fg">
              <Trans>Active</Trans>
            </label>
            <p id={activeHintId} className="text-xs text-fg-muted">
              {isSelf
                ? t`You can't deactivate yourself.`
                : t`Inactive users can't sign in. Deactivating ends their sessions at once.`}
            </p>
          </div>
        </div>
        <div className="flex flex-col-reverse gap-3 pt-1 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={onClose} disabled={mutation.isPending}>
            <Trans>Cancel</Trans>
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            <Trans>Save changes</Trans>
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
