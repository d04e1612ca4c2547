import type { ReactNode } from "react";
import { useDocumentTitle } from "../lib/use-document-title.ts";
import { LanguagePicker } from "./LanguagePicker.tsx";
import { Logo } from "./Logo.tsx";

interface AuthCardProps {
  title: string;
  description: ReactNode;
  children: ReactNode;
  /** The line under the card, e.g. the link to the other auth page. */
  footer: ReactNode;
}

export function AuthCard({ title, description, children, footer }: AuthCardProps) {
  useDocumentTitle(title);
  return (
    <div className="relative isolate flex min-h-dvh flex-col items-center px-4 py-10 sm:justify-center sm:py-16">
      <div
        aria-hidden="true"
        className="absolute inset-x-0 top-0 -z-10 h-96 bg-linear-to-b from-brand/12 via-brand/4 to-transparent"
      />
      <header className="mb-8">
        <Logo size="lg" />
      </header>
      <main className="w-full max-w-100">
        <div className="rounded-2xl border border-border bg-surface p-6 shadow-xl shadow-black/5 sm:p-8">
          <h1 className="text-xl font-semibold tracking-tight text-fg">{title}</h1>
          <p className="mt-1.5 text-sm text-fg-muted">{description}</p>
          <div className="mt-6">{children}</div>
        </div>
        <p className="mt-6 text-center text-sm text-fg-muted">{footer}</p>
        <div className="mt-4 flex justify-center">
          <LanguagePicker />
        </div>
      </main>
    </div>
  );
}
