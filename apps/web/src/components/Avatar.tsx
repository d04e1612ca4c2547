import { initials } from "../lib/format.ts";

const SIZES = {
  sm: "size-8 text-xs",
  lg: "size-20 text-2xl",
} as const;

/**
 * Decorative: the name it stands for is always written out nearby. The initials are drawn by CSS
 * (generated content) so they are not text of whatever control holds the avatar: a button's
 * visible text then matches its accessible name.
 */
export function Avatar({
  name,
  size = "sm",
  className = "",
}: {
  name: string;
  size?: keyof typeof SIZES;
  className?: string;
}) {
  return (
    <span
      aria-hidden="true"
      data-initials={initials(name)}
      className={`grid shrink-0 place-items-center rounded-full bg-brand-soft font-semibold text-brand-text select-none before:content-[attr(data-initials)] ${SIZES[size]} ${className}`}
    />
  );
}
