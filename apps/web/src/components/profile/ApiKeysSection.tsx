import { KeyRound, Trash2 } from "lucide-react";
import { useState } from "react";
import type { RouterOutputs } from "../../lib/api-types.ts";
import type { CurrentUser } from "../../lib/current-user.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDate, formatDateTime, formatRelative } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { Alert } from "../Alert.tsx";
import { Button } from "../Button.tsx";
import { ConfirmDialog } from "../ConfirmDialog.tsx";
import { CreateApiKeyForm } from "./CreateApiKeyForm.tsx";
import { Section } from "./Section.tsx";

type ApiKey = RouterOutputs["auth"]["apiKeys"]["list"][number];

/** Personal API keys for programs (`Authorization: Bearer pk_…`): create, list, revoke. */
export function ApiKeysSection({ user }: { user: CurrentUser }) {
  const keys = trpc.auth.apiKeys.list.useQuery();
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const utils = trpc.useUtils();
  const revoke = trpc.auth.apiKeys.revoke.useMutation({
    onSuccess: async () => {
      await utils.auth.apiKeys.list.invalidate();
      setRevoking(null);
    },
  });

  return (
    <Section
      id="api-keys"
      icon={KeyRound}
      title="API keys"
      description="Keys let your programs call Parley as you, limited to the scopes you choose. Send one as “Authorization: Bearer pk_…”."
    >
      <div className="grid gap-6 lg:grid-cols-2">
        <CreateApiKeyForm user={user} />
        <div>
          <h3 className="mb-2 text-sm font-medium text-fg">Your keys</h3>
          {keys.error && <Alert>{errorMessage(keys.error)}</Alert>}
          {keys.data?.length === 0 && <p className="text-sm text-fg-muted">No API keys yet.</p>}
          <ul aria-label="API keys" className="divide-y divide-border rounded-lg border border-border">
            {keys.data?.map((key) => (
              <li key={key.id} className="flex items-start justify-between gap-3 p-3 text-sm">
                <div className="min-w-0 space-y-0.5">
                  <p className="font-medium text-fg">{key.name}</p>
                  <p className="font-mono text-xs text-fg-muted">{key.prefix}…</p>
                  <p className="text-xs text-fg-muted">
                    {key.scopes.join(", ")} · created {formatDate(key.createdAt)} · {lastUsed(key)} ·{" "}
                    {key.expiresAt ? `expires ${formatDate(key.expiresAt)}` : "never expires"}
                  </p>
                </div>
                <Button
                  variant="secondary"
                  icon={<Trash2 aria-hidden="true" className="size-4" />}
                  onClick={() => setRevoking(key)}
                  aria-label={`Revoke ${key.name}`}
                >
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
        </div>
      </div>
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this key?"
        confirmLabel="Revoke key"
        tone="danger"
        pending={revoke.isPending}
        error={revoke.error ? <Alert>{errorMessage(revoke.error)}</Alert> : null}
        onConfirm={() => revoking && revoke.mutate({ id: revoking.id })}
        onClose={() => {
          setRevoking(null);
          revoke.reset();
        }}
      >
        Programs using “{revoking?.name}” stop working at once. This cannot be undone.
      </ConfirmDialog>
    </Section>
  );
}

function lastUsed(key: ApiKey): string {
  if (!key.lastUsedAt) return "never used";
  return `used ${formatRelative(key.lastUsedAt)} (${formatDateTime(key.lastUsedAt)})`;
}
