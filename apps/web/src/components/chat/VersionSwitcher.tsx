import { Trans, useLingui } from "@lingui/react/macro";
import { ChevronLeft, ChevronRight } from "lucide-react";

interface VersionSwitcherProps {
  /** The versions at this place (the message and its siblings), oldest first. */
  siblingIds: string[];
  current: string;
  /** Absent while versions cannot be switched (an answer is being written). */
  onSwitch: ((messageId: string) => void) | undefined;
}

/** `‹ 2/3 ›`: which version of a question or answer is shown, and the way to the others. */
export function VersionSwitcher({ siblingIds, current, onSwitch }: VersionSwitcherProps) {
  const { t } = useLingui();
  const index = siblingIds.indexOf(current);
  if (siblingIds.length < 2 || index < 0) return null;
  const step = (by: number) => {
    const target = siblingIds[index + by];
    return target && onSwitch ? () => onSwitch(target) : undefined;
  };
  const position = index + 1;
  const total = siblingIds.length;
  const button = "grid size-6 place-items-center rounded-md hover:bg-surface-muted disabled:opacity-40";
  return (
    <span className="inline-flex items-center gap-0.5 text-xs text-fg-muted">
      <button
        type="button"
        className={button}
        aria-label={t`Previous version`}
        disabled={!step(-1)}
        onClick={step(-1)}
      >
        <ChevronLeft aria-hidden="true" className="size-3.5" />
      </button>
      <span className="tabular-nums">
        <span aria-hidden="true">
          {index + 1}/{siblingIds.length}
        </span>
        <span className="sr-only">
          <Trans>
            Version {position} of {total}
          </Trans>
        </span>
      </span>
      <button
        type="button"
        className={button}
        aria-label={t`Next version`}
        disabled={!step(1)}
        onClick={step(1)}
      >
        <ChevronRight aria-hidden="true" className="size-3.5" />
      </button>
    </span>
  );
}
