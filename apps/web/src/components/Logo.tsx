import { MessagesSquare } from "lucide-react";

interface LogoProps {
  /** Larger mark for the auth pages; the top bar uses the compact one. */
  size?: "sm" | "lg";
  /** The mark alone, without the word (phone-width top bar); the link around it carries the name. */
  compact?: boolean;
}

export function Logo({ size = "sm", compact = false }: LogoProps) {
  const large = size === "lg";
  return (
    <span className="inline-flex items-center gap-2.5">
      <span
        className={`grid place-items-center rounded-xl bg-brand text-on-brand shadow-sm shadow-brand/30 ${large ? "size-10" : "size-8"}`}
      >
        <MessagesSquare aria-hidden="true" className={large ? "size-5.5" : "size-4.5"} strokeWidth={2.25} />
      </span>
      {!compact && (
        <span className={`font-semibold tracking-tight text-fg ${large ? "text-2xl" : "text-lg"}`}>
          Parley
        </span>
      )}
    </span>
  );
}
