import { ChevronDown, CircleExclamationPoint } from "lucide-react";
import { type ComponentProps, type ReactNode, useId } from "react";

const CONTROL =
  "block w-full rounded-lg border border-border bg-surface px-3 text-base text-fg shadow-xs transition-[border-color,box-shadow] focus:border-brand focus:ring-4 focus:ring-brand/15 focus:outline-none aria-invalid:border-danger sm:text-sm";

interface SelectFieldProps extends Omit<ComponentProps<"select">, "id"> {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** Rendered before any <option> children. */
  options?: readonly { value: string; label: string }[];
  /** A compact control with its label beside it, for a section's toolbar. */
  inline?: boolean;
}

/** A labelled native <select>: the platform's picker on phones, its keyboard handling everywhere. */
export function SelectField({
  label,
  hint,
  error,
  options = [],
  inline = false,
  className = "",
  children,
  ...select
}: SelectFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ");
  return (
    <div className={`${inline ? "flex items-center gap-2" : "space-y-1.5"} ${className}`}>
      <label
        htmlFor={id}
        className={inline ? "text-xs font-medium text-fg-muted" : "block text-sm font-medium text-fg"}
      >
        {label}
      </label>
      <div className="relative">
        <select
          id={id}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          className={`${CONTROL} appearance-none pr-9 ${inline ? "h-9" : "h-10"}`}
          {...select}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
          {children}
        </select>
        <ChevronDown
          aria-hidden="true"
          className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-fg-muted"
        />
      </div>
      {hint && (
        <p id={hintId} className="text-xs text-fg-muted">
          {hint}
        </p>
      )}
      {error && <FieldError id={errorId}>{error}</FieldError>}
    </div>
  );
}

export function FieldError({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="flex items-start gap-1.5 text-sm text-danger">
      <CircleExclamationPoint aria-hidden="true" className="mt-0.5 size-3.5 shrink-0" />
      <span>{children}</span>
    </p>
  );
}

/** A segmented control built from real radio buttons, so arrow keys and screen readers just work. */
export function Segmented<Value extends string>({
  legend,
  name,
  value,
  options,
  onChange,
  hideLegend = false,
}: {
  legend: string;
  name: string;
  value: Value;
  options: readonly { value: Value; label: string }[];
  onChange: (value: Value) => void;
  hideLegend?: boolean;
}) {
  return (
    <fieldset className="min-w-0">
      <legend className={hideLegend ? "sr-only" : "mb-1.5 text-sm font-medium text-fg"}>{legend}</legend>
      <div className="inline-flex max-w-full flex-wrap gap-1 rounded-xl border border-border bg-surface-muted p-1">
        {options.map((option) => (
          <label
            key={option.value}
            className="relative cursor-pointer rounded-lg px-3 py-1.5 text-sm font-medium whitespace-nowrap text-fg-muted transition-colors select-none hover:text-fg has-checked:bg-surface has-checked:text-fg has-checked:shadow-sm has-focus-visible:outline-2 has-focus-visible:outline-brand"
          >
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
              // Transparent and stretched over the label: the real radio takes the click and focus.
              className="absolute inset-0 cursor-pointer appearance-none rounded-lg opacity-0"
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Options for a SelectField from a list of values and their labels. */
export function labelledOptions<Value extends string>(
  values: readonly Value[],
  labels: Record<Value, string>,
): { value: Value; label: string }[] {
  return values.map((value) => ({ value, label: labels[value] }));
}
