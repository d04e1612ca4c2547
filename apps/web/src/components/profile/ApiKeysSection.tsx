import { Trans, useLingui } from "@lingui/react/macro";
import { KeyRound, Trash2 } from "lucide-react";
import { useState } from "react";
import type { RouterOutputs } from "../../lib/api-types.ts";
import type { CurrentUser } from "../../lib/current-user.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDate, formatDateTime, formatRelative } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { Alert } from "../ui/Alert.tsx";
import { Button } from "../ui/Button.tsx";
import { ConfirmDialog } from "../ui/Dialog.tsx";
import { Section } from "../ui/Section.tsx";
import { CreateApiKeyForm } from "./CreateApiKeyForm.tsx";

type ApiKey = RouterOutputs["auth"]["apiKeys"]["list"][number];

/** Personal API keys for programs (`Authorization: Bearer pk_…`): create, list, revoke. */
export function ApiKeysSection({ user }: { user: CurrentUser }) {
  const keys = trpc.auth.apiKeys.list.useQuery();
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const utils = trpc.useUtils();
  const { t } = useLingui();
  const revoke = trpc.auth.apiKeys.revoke.useMutation({
    onSuccess: async () => {
      await utils.auth.apiKeys.list.invalidate();
      setRevoking(null);
    },
  });

  const revokingName = revoking?.name;

  function revokeLabel(key: ApiKey): string {
    const name = key.name;
    return t`Revoke ${name}`;
  }

  function created(key: ApiKey): string {
    const date = formatDate(key.createdAt);
    return t`created ${date}`;
  }

  function lastUsed(key: ApiKey): string {
    if (!key.lastUsedAt) return t`never used`;
    const ago = formatRelative(key.lastUsedAt);
    const at = formatDateTime(key.lastUsedAt);
    return t`used ${ago} (${at})`;
  }

  function expiry(key: ApiKey): string {
    if (!key.expiresAt) return t`never expires`;
    const date = formatDate(key.expiresAt);
    return t`expires ${date}`;
  }

  return (
    <Section
      id="api-keys"
      icon={KeyRound}
      title={t`API keys`}
      description={t`Keys let your programs call Parley as you, limited to the scopes you choose. Send one as “Authorization: Bearer pk_…”.`}
    >
      <div className="grid gap-6 lg:grid-cols-2">
        <CreateApiKeyForm user={user} />
        <div>
          <h3 className="mb-2 text-sm font-medium text-fg">
            <Trans>Your keys</Trans>
          </h3>
          {keys.error && <Alert>{errorMessage(keys.error)}</Alert>}
          {keys.data?.length === 0 && (
            <p className="text-sm text-fg-muted">
              <Trans>No API keys yet.</Trans>
            </p>
          )}
          <ul aria-label={t`API keys`} className="divide-y divide-border rounded-lg border border-border">
            {keys.data?.map((key) => (
              <li key={key.id} className="flex items-start justify-between gap-3 p-3 text-sm">
                <div className="min-w-0 space-y-0.5">
                  <p className="font-medium text-fg">{key.name}</p>
                  <p className="font-mono text-xs text-fg-muted">{key.prefix}…</p>
                  <p className="text-xs text-fg-muted">
                    {key.scopes.join(", ")} · {created(key)} · {lastUsed(key)} · {expiry(key)}
                  </p>
                </div>
                <Button
                  variant="secondary"
                  icon={<Trash2 aria-hidden="true" className="size-4" />}
                  onClick={() => setRevoking(key)}
                  aria-label={revokeLabel(key)}
                >
                  <Trans>Revoke</Trans>
                </Button>
              </li>
            ))}
          </ul>
        </div>
      </div>
      {revoking && revokingName !== undefined && (
        <ConfirmDialog
          title={t`Revoke this key?`}
          confirmLabel={t`Revoke key`}
          pending={revoke.isPending}
          error={revoke.error}
          onConfirm={() => revoke.mutate({ id: revoking.id })}
          onCancel={() => {
            setRevoking(null);
            revoke.reset();
          }}
        >
          <Trans>Programs using “{revokingName}” stop working at once. This cannot be undone.</Trans>
        </ConfirmDialog>
      )}
    </Section>
  );
}
