import type { AppRouter, inferRouterOutputs } from "@parley/api";
import { MailPlus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { Alert } from "../Alert.tsx";
import { Button } from "../Button.tsx";
import { TextField } from "../TextField.tsx";
import { OneTimeLink } from "./OneTimeLink.tsx";
import { QueryError } from "./QueryError.tsx";
import { isRole, ROLE_LABELS, ROLES, type UserRole } from "./types.ts";
import { EmptyState, LoadingBlock, Pill, Section, SelectField, TABLE, TableScroll, TD, TH } from "./ui.tsx";

type Invitation = inferRouterOutputs<AppRouter>["admin"]["invitations"]["list"][number];

const STATUS_TONE = { pending: "brand", used: "good", expired: "neutral", revoked: "bad" } as const;
const EXPIRY_CHOICES = [1, 7, 30] as const;

/** Creates single-use invitation links and lists them, with a way to revoke unused ones. */
export function InvitationsSection() {
  const utils = trpc.useUtils();
  const list = trpc.admin.invitations.list.useQuery();
  const [role, setRole] = useState<UserRole>("user");
  const [expiryDays, setExpiryDays] = useState<number>(7);
  const create = trpc.admin.invitations.create.useMutation({
    onSuccess: () => utils.admin.invitations.list.invalidate(),
  });
  const revoke = trpc.admin.invitations.revoke.useMutation({
    onSuccess: () => utils.admin.invitations.list.invalidate(),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    create.mutate({ role, expiryDays, ...(email ? { email } : {}) });
  };

  return (
    <Section
      title="Invitations"
      description="A link that creates one account, once, before it expires."
      flush
    >
      <form onSubmit={onSubmit} className="grid gap-4 border-b border-border p-5 sm:grid-cols-4 sm:items-end">
        <TextField
          label="Invitee's email"
          name="email"
          type="email"
          optional
          hint="Only this address may use the link."
          className="sm:col-span-2"
        />
        <SelectField
          label="Role"
          value={role}
          onChange={(event) => isRole(event.target.value) && setRole(event.target.value)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Expires after"
          value={expiryDays}
          onChange={(event) => setExpiryDays(Number(event.target.value))}
        >
          {EXPIRY_CHOICES.map((days) => (
            <option key={days} value={days}>
              {days === 1 ? "1 day" : `${days} days`}
            </option>
          ))}
        </SelectField>
        <div className="space-y-3 sm:col-span-4">
          {create.error && <Alert title="No invitation created">{errorMessage(create.error)}</Alert>}
          {create.data && (
            <OneTimeLink
              label="Invitation link"
              url={create.data.url}
              note="Shown once: send it to the person you invite."
            />
          )}
          <Button
            type="submit"
            loading={create.isPending}
            icon={<MailPlus aria-hidden="true" className="size-4" />}
          >
            Create invitation link
          </Button>
        </div>
      </form>
      {revoke.error && (
        <div className="p-5 pb-0">
          <Alert title="Not revoked">{errorMessage(revoke.error)}</Alert>
        </div>
      )}
      {list.isPending ? (
        <LoadingBlock label="Loading invitations…" />
      ) : list.error ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} retrying={list.isFetching} />
      ) : list.data.length === 0 ? (
        <EmptyState icon={MailPlus} title="No invitations yet" />
      ) : (
        <TableScroll label="Invitations">
          <table className={TABLE}>
            <thead>
              <tr>
                <th scope="col" className={TH}>
                  Status
                </th>
                <th scope="col" className={TH}>
                  For
                </th>
                <th scope="col" className={TH}>
                  Role
                </th>
                <th scope="col" className={TH}>
                  Created by
                </th>
                <th scope="col" className={TH}>
                  Expires
                </th>
                <th scope="col" className={TH}>
                  Used by
                </th>
                <th scope="col" className={TH}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((invitation) => (
                <InvitationRow
                  key={invitation.id}
                  invitation={invitation}
                  revoking={revoke.isPending && revoke.variables?.id === invitation.id}
                  onRevoke={() => revoke.mutate({ id: invitation.id })}
                />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Section>
  );
}

function InvitationRow({
  invitation,
  revoking,
  onRevoke,
}: {
  invitation: Invitation;
  revoking: boolean;
  onRevoke: () => void;
}) {
  return (
    <tr>
      <td className={TD}>
        <Pill tone={STATUS_TONE[invitation.status]}>{invitation.status}</Pill>
      </td>
      <td className={TD}>
        {invitation.email ?? <span className="text-fg-muted">Anyone with the link</span>}
      </td>
      <td className={TD}>{ROLE_LABELS[invitation.role]}</td>
      <td className={TD}>
        {invitation.createdBy?.displayName ?? "—"}
        {invitation.createdBy && (
          <span className="block text-xs text-fg-muted">{invitation.createdBy.email}</span>
        )}
      </td>
      <td className={`${TD} whitespace-nowrap text-fg-muted`}>{formatDateTime(invitation.expiresAt)}</td>
      <td className={TD}>
        {invitation.usedBy ? (
          <>
            {invitation.usedBy.displayName}
            <span className="block text-xs text-fg-muted">{invitation.usedBy.email}</span>
          </>
        ) : (
          "—"
        )}
      </td>
      <td className={`${TD} text-right`}>
        {invitation.status === "pending" && (
          <Button variant="danger" className="h-8 px-3" loading={revoking} onClick={onRevoke}>
            Revoke
          </Button>
        )}
      </td>
    </tr>
  );
}
