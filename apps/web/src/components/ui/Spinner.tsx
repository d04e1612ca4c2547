import { LoaderCircle } from "lucide-react";

/** Decorative: whoever shows it announces the wait. It holds still for people who ask for reduced motion. */
export function Spinner({ className = "size-5" }: { className?: string }) {
  return <LoaderCircle aria-hidden="true" className={`motion-safe:animate-spin ${className}`} />;
}

export function FullPageSpinner({ label }: { label: string }) {
  return (
    <div role="status" className="grid min-h-dvh place-items-center p-6">
      <div className="flex flex-col items-center gap-3 text-fg-muted">
        <Spinner className="size-8 text-brand-text" />
        <span className="text-sm">{label}</span>
      </div>
    </div>
  );
}
