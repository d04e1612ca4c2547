import { i18n } from "@lingui/core";
import { msg, plural } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import type { AppRouter, inferRouterOutputs } from "@parley/api";
import { MailPlus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { translatedRecord } from "../../i18n/translated-record.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { Alert } from "../ui/Alert.tsx";
import { Button } from "../ui/Button.tsx";
import { Pill } from "../ui/badges.tsx";
import { type Column, DataTable } from "../ui/DataTable.tsx";
import { QueryError } from "../ui/QueryError.tsx";
import { Section } from "../ui/Section.tsx";
import { labelledOptions, SelectField } from "../ui/SelectField.tsx";
import { EmptyState, LoadingBlock } from "../ui/states.tsx";
import { TextField } from "../ui/TextField.tsx";
import { OneTimeLink } from "./OneTimeLink.tsx";
import { isRole, ROLE_LABELS, ROLES, type UserRole } from "./types.ts";

type Invitation = inferRouterOutputs<AppRouter>["admin"]["invitations"]["list"][number];

const STATUS_TONE = { pending: "brand", used: "good", expired: "neutral", revoked: "bad" } as const;
const STATUS_LABELS = translatedRecord<keyof typeof STATUS_TONE>({
  pending: msg`pending`,
  used: msg`used`,
  expired: msg`expired`,
  revoked: msg`revoked`,
});
const EXPIRY_CHOICES = [1, 7, 30] as const;

/** Creates single-use invitation links and lists them, with a way to revoke unused ones. */
export function InvitationsSection() {
  const { t } = useLingui();
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
      title={t`Invitations`}
      description={t`A link that creates one account, once, before it expires.`}
      flush
    >
      <form onSubmit={onSubmit} className="grid gap-4 border-b border-border p-5 sm:grid-cols-4 sm:items-end">
        <TextField
          label={t`Invitee's email`}
          name="email"
          type="email"
          optional
          hint={t`Only this address may use the link.`}
          className="sm:col-span-2"
        />
        <SelectField
          label={t`Role`}
          value={role}
          onChange={(event) => isRole(event.target.value) && setRole(event.target.value)}
          options={labelledOptions(ROLES, ROLE_LABELS)}
        />
        <SelectField
          label={t`Expires after`}
          value={expiryDays}
          onChange={(event) => setExpiryDays(Number(event.target.value))}
        >
          {EXPIRY_CHOICES.map((days) => (
            <option key={days} value={days}>
              {plural(days, { one: "# day", other: "# days" })}
            </option>
          ))}
        </SelectField>
        <div className="space-y-3 sm:col-span-4">
          {create.error && <Alert title={t`No invitation created`}>{errorMessage(create.error)}</Alert>}
          {create.data && (
            <OneTimeLink
              label={t`Invitation link`}
              url={create.data.url}
              copyLabel={t`Copy invitation link`}
              note={t`Shown once: send it to the person you invite.`}
            />
          )}
          <Button
            type="submit"
            loading={create.isPending}
            icon={<MailPlus aria-hidden="true" className="size-4" />}
          >
            <Trans>Create invitation link</Trans>
          </Button>
        </div>
      </form>
      {revoke.error && (
        <div className="p-5 pb-0">
          <Alert title={t`Not revoked`}>{errorMessage(revoke.error)}</Alert>
        </div>
      )}
      {list.isPending ? (
        <LoadingBlock label={t`Loading invitations…`} />
      ) : list.error ? (
        <QueryError query={list} />
      ) : list.data.length === 0 ? (
        <EmptyState icon={MailPlus} title={t`No invitations yet`} />
      ) : (
        <DataTable
          label={t`Invitations`}
          columns={invitationColumns(revoke.isPending ? revoke.variables?.id : undefined, (id) =>
            revoke.mutate({ id }),
          )}
          rows={list.data}
          rowKey={(invitation) => invitation.id}
        />
      )}
    </Section>
  );
}

function invitationColumns(
  revokingId: string | undefined,
  onRevoke: (id: string) => void,
): Column<Invitation>[] {
  return [
    {
      header: i18n._(msg`Status`),
      cell: (invitation) => (
        <Pill tone={STATUS_TONE[invitation.status]}>{STATUS_LABELS[invitation.status]}</Pill>
      ),
    },
    {
      header: i18n._(msg`For`),
      cell: (invitation) =>
        invitation.email ?? (
          <span className="text-fg-muted">
            <Trans>Anyone with the link</Trans>
          </span>
        ),
    },
    { header: i18n._(msg`Role`), cell: (invitation) => ROLE_LABELS[invitation.role] },
    {
      header: i18n._(msg`Created by`),
      cell: (invitation) => <PersonCell person={invitation.createdBy} />,
    },
    {
      header: i18n._(msg`Expires`),
      className: "whitespace-nowrap text-fg-muted",
      cell: (invitation) => formatDateTime(invitation.expiresAt),
    },
    { header: i18n._(msg`Used by`), cell: (invitation) => <PersonCell person={invitation.usedBy} /> },
    {
      header: i18n._(msg`Actions`),
      hideHeader: true,
      numeric: true,
      cell: (invitation) =>
        invitation.status === "pending" && (
          <Button
            variant="danger"
            className="h-8 px-3"
            loading={revokingId === invitation.id}
            onClick={() => onRevoke(invitation.id)}
          >
            <Trans>Revoke</Trans>
          </Button>
        ),
    },
  ];
}

function PersonCell({ person }: { person: { displayName: string; email: string } | null }) {
  if (!person) return "—";
  return (
    <>
      {person.displayName}
      <span className="block text-xs text-fg-muted">{person.email}</span>
    </>
  );
}
