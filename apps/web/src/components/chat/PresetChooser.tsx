import { Trans, useLingui } from "@lingui/react/macro";
import { Check } from "lucide-react";
import type { ChatPreset } from "../../lib/api-types.ts";
import { trpc } from "../../lib/trpc.ts";

// Loaded on demand (LazyChatSettings): the new-chat screen shows it once its chunk has arrived.

/** The presets to start a new chat with: the user's own and the published ones. */
export function PresetChooser({
  selectedId,
  onSelect,
}: {
  selectedId: string | null;
  onSelect: (preset: ChatPreset | null) => void;
}) {
  const { t } = useLingui();
  const presets = trpc.presets.list.useQuery();
  if (!presets.data?.length) return null;
  return (
    <div className="mt-6">
      <h3 className="text-center text-xs font-semibold tracking-wide text-fg-muted uppercase">
        <Trans>Start with a preset</Trans>
      </h3>
      <ul aria-label={t`Presets`} className="mt-2 flex flex-wrap justify-center gap-2">
        {presets.data.map((preset) => {
          const selected = preset.id === selectedId;
          return (
            <li key={preset.id}>
              <button
                type="button"
                aria-pressed={selected}
                title={preset.systemPrompt ?? undefined}
                onClick={() => onSelect(selected ? null : preset)}
                className={`inline-flex items-center gap-1.5 rounded-full border px-3 py-1.5 text-sm transition-colors ${
                  selected
                    ? "border-brand bg-brand-soft text-brand-text"
                    : "border-border bg-surface text-fg hover:border-brand/40"
                }`}
              >
                {selected && <Check aria-hidden="true" className="size-3.5" />}
                {preset.name}
                {preset.published && !preset.mine && (
                  <span className="text-xs text-fg-muted">
                    <Trans>shared</Trans>
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
