import { Trans, useLingui } from "@lingui/react/macro";
import { Download, Link2, Link2Off } from "lucide-react";
import { useState } from "react";
import { errorMessage } from "../../lib/errors.ts";
import { trpc } from "../../lib/trpc.ts";
import { CopyButton } from "../CopyButton.tsx";
import { Alert } from "../ui/Alert.tsx";
import { Button } from "../ui/Button.tsx";
import { Dialog } from "../ui/Dialog.tsx";

interface ChatActionsDialogProps {
  sessionId: string;
  shareId: string | null;
  onClose: () => void;
}

/** Share a chat as a read-only link (and take the link back), or download it as Markdown or JSON. */
export function ChatActionsDialog({ sessionId, shareId, onClose }: ChatActionsDialogProps) {
  const { t } = useLingui();
  const utils = trpc.useUtils();
  const [error, setError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState<"markdown" | "json" | null>(null);
  const refresh = () => utils.sessions.get.invalidate({ sessionId });
  const share = trpc.sessions.share.useMutation({
    onSuccess: refresh,
    onError: (e) => setError(errorMessage(e)),
  });
  const unshare = trpc.sessions.unshare.useMutation({
    onSuccess: async () => {
      share.reset();
      await refresh();
    },
    onError: (e) => setError(errorMessage(e)),
  });
  // The share link the server just made, else the one the chat already has (same origin as the SPA).
  const url =
    share.data?.url ?? (shareId ? new URL(`/shared/${shareId}`, window.location.origin).toString() : null);

  const download = async (format: "markdown" | "json") => {
    setError(null);
    setDownloading(format);
    try {
      const file = await utils.client.sessions.export.query({ sessionId, format });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
      link.download = file.filename;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (e) {
      const reason = errorMessage(e);
      setError(t`Couldn't export the chat. ${reason}`);
    } finally {
      setDownloading(null);
    }
  };

  return (
    <Dialog title={t`Share or export`} onClose={onClose}>
      <div className="space-y-6">
        {error && <Alert onDismiss={() => setError(null)}>{error}</Alert>}
        <section aria-labelledby="share-heading" className="space-y-3">
          <h3 id="share-heading" className="text-sm font-semibold text-fg">
            <Trans>Read-only link</Trans>
          </h3>
          <p className="text-sm text-fg-muted">
            <Trans>
              Anyone with the link can read this chat without an account. They cannot reply or use your
              credits. Stop sharing to turn the link off at once.
            </Trans>
          </p>
          {url ? (
            <>
              <div className="flex items-center gap-2">
                <label htmlFor="share-url" className="sr-only">
                  <Trans>Share link</Trans>
                </label>
                <input
                  id="share-url"
                  readOnly
                  value={url}
                  onFocus={(event) => event.target.select()}
                  className="block h-10 min-w-0 flex-1 rounded-lg border border-border bg-canvas px-3 font-mono text-xs text-fg"
                />
                <CopyButton
                  text={url}
                  label={t`Copy link`}
                  showLabel
                  className="h-10 border border-border px-3"
                />
              </div>
              <Button
                variant="secondary"
                loading={unshare.isPending}
                icon={<Link2Off aria-hidden="true" className="size-4" />}
                onClick={() => unshare.mutate({ sessionId })}
              >
                <Trans>Stop sharing</Trans>
              </Button>
            </>
          ) : (
            <Button
              loading={share.isPending}
              icon={<Link2 aria-hidden="true" className="size-4" />}
              onClick={() => share.mutate({ sessionId })}
            >
              <Trans>Create link</Trans>
            </Button>
          )}
        </section>
        <section aria-labelledby="export-heading" className="space-y-3">
          <h3 id="export-heading" className="text-sm font-semibold text-fg">
            <Trans>Download</Trans>
          </h3>
          <div className="flex flex-wrap gap-2">
            <Button
              variant="secondary"
              loading={downloading === "markdown"}
              icon={<Download aria-hidden="true" className="size-4" />}
              onClick={() => void download("markdown")}
            >
              Markdown
            </Button>
            <Button
              variant="secondary"
              loading={downloading === "json"}
              icon={<Download aria-hidden="true" className="size-4" />}
              onClick={() => void download("json")}
            >
              JSON
            </Button>
          </div>
        </section>
      </div>
    </Dialog>
  );
}
