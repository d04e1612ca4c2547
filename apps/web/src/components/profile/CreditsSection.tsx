import { Coins, RefreshCw } from "lucide-react";
import { errorMessage } from "../../lib/errors.ts";
import { formatDate, formatNumber, formatUsd } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { Alert } from "../Alert.tsx";
import { Button } from "../Button.tsx";
import { Section } from "./Section.tsx";

/** The balance, what is held by answers being written, and when credits next expire. */
export function CreditsSection() {
  const balance = trpc.accounting.balance.useQuery(undefined, { staleTime: 10_000 });
  const data = balance.data;
  return (
    <Section
      id="credits"
      icon={Coins}
      title="Credits"
      description="Answers are paid in credits (1 credit = US$0.00001). While an answer is written, enough credits for its longest possible length are held, then only what it used is charged."
    >
      {balance.isPending ? (
        <div role="status" aria-label="Loading your balance" className="grid gap-3 sm:grid-cols-3">
          {[0, 1, 2].map((i) => (
            <div
              key={i}
              className="h-20 animate-pulse rounded-xl bg-surface-muted motion-reduce:animate-none"
            />
          ))}
        </div>
      ) : !data ? (
        <div className="space-y-3">
          <Alert title="Couldn't load your balance">{errorMessage(balance.error)}</Alert>
          <Button
            variant="secondary"
            loading={balance.isFetching}
            icon={<RefreshCw aria-hidden="true" className="size-4" />}
            onClick={() => void balance.refetch()}
          >
            Try again
          </Button>
        </div>
      ) : (
        <>
          <dl className="grid gap-3 sm:grid-cols-3">
            <div className="rounded-xl bg-brand-soft px-4 py-3">
              <dt className="text-xs font-medium text-brand-text">Available</dt>
              <dd className="mt-0.5 text-2xl font-semibold tracking-tight text-fg tabular-nums">
                {formatNumber(data.available)}
              </dd>
              <dd className="text-xs text-fg-muted">{formatUsd(data.available)}</dd>
            </div>
            <div className="rounded-xl bg-surface-muted px-4 py-3">
              <dt className="text-xs font-medium text-fg-muted">Held for answers</dt>
              <dd className="mt-0.5 text-2xl font-semibold tracking-tight text-fg tabular-nums">
                {formatNumber(data.held)}
              </dd>
              <dd className="text-xs text-fg-muted">Balance {formatNumber(data.balance)}</dd>
            </div>
            <div className="rounded-xl bg-surface-muted px-4 py-3">
              <dt className="text-xs font-medium text-fg-muted">Next expiry</dt>
              <dd className="mt-0.5 text-lg font-semibold tracking-tight text-fg">
                {data.nextExpiryAt ? (
                  // Read from a raw row: it may arrive as a string rather than a Date.
                  <time dateTime={new Date(data.nextExpiryAt).toISOString()}>
                    {formatDate(new Date(data.nextExpiryAt))}
                  </time>
                ) : (
                  "None"
                )}
              </dd>
              <dd className="text-xs text-fg-muted">
                {data.nextExpiryAt ? "Some of your credits expire then" : "Your credits don't expire"}
              </dd>
            </div>
          </dl>
          {data.available === 0 && (
            <p className="mt-4 rounded-lg bg-amber-500/10 px-4 py-3 text-sm text-fg">
              You have no credits left to spend. Ask an administrator to add credits to your account.
            </p>
          )}
        </>
      )}
    </Section>
  );
}
