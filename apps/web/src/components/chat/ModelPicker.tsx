import { t } from "@lingui/core/macro";
import { Trans } from "@lingui/react/macro";
import { ChevronDown, Cpu } from "lucide-react";
import type { ChatModel, ModelPrice } from "../../lib/api-types.ts";
import { formatNumber } from "../../lib/format.ts";

interface ModelPickerProps {
  id: string;
  models: ChatModel[];
  prices: ReadonlyMap<string, ModelPrice>;
  value: string;
  onChange: (modelId: string) => void;
  disabled?: boolean;
}

/** "80 in · 400 out credits/1K tokens": the price, in credits, of 1,000 tokens read and written. */
export function priceLabel(price: ModelPrice | undefined): string {
  if (!price) return t`price unavailable`;
  const input = formatNumber(price.inputPer1k);
  const output = formatNumber(price.outputPer1k);
  return t`${input} in · ${output} out credits/1K tokens`;
}

/** A native select (keyboard and screen readers handle it well); each option shows its price. */
export function ModelPicker({ id, models, prices, value, onChange, disabled = false }: ModelPickerProps) {
  return (
    <div className="relative min-w-0">
      <label htmlFor={id} className="sr-only">
        <Trans>Model</Trans>
      </label>
      <Cpu
        aria-hidden="true"
        className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-fg-muted"
      />
      <select
        id={id}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
        className="h-9 w-full max-w-[15rem] min-w-0 appearance-none truncate rounded-lg border border-border bg-surface py-0 pr-8 pl-8 text-xs font-medium text-fg transition-colors hover:bg-surface-muted focus:border-brand focus:ring-4 focus:ring-brand/15 focus:outline-none disabled:cursor-not-allowed disabled:opacity-60 sm:max-w-[26rem]"
      >
        {models.map((model) => (
          <option key={model.id} value={model.id}>
            {model.displayName} · {priceLabel(prices.get(model.id))}
          </option>
        ))}
      </select>
      <ChevronDown
        aria-hidden="true"
        className="pointer-events-none absolute top-1/2 right-2.5 size-3.5 -translate-y-1/2 text-fg-muted"
      />
    </div>
  );
}
