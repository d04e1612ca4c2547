import { Trans, useLingui } from "@lingui/react/macro";
import { Coins } from "lucide-react";
import { formatDate, formatNumber, formatUsd } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { QueryError } from "../ui/QueryError.tsx";
import { Section } from "../ui/Section.tsx";

/** The balance, what is held by answers being written, and when credits next expire. */
export function CreditsSection() {
  const balance = trpc.accounting.balance.useQuery(undefined, { staleTime: 10_000 });
  const data = balance.data;
  const balanceShown = data ? formatNumber(data.balance) : "";
  const { t } = useLingui();
  return (
    <Section
      id="credits"
      icon={Coins}
      title={t`Credits`}
      description={t`Answers are paid in credits (1 credit = US$0.00001). While an answer is written, enough credits for its longest possible length are held, then only what it used is charged.`}
    >
      {balance.isPending ? (
        <div role="status" aria-label={t`Loading your balance`} className="grid gap-3 sm:grid-cols-3">
          {[0, 1, 2].map((i) => (
            <div
              key={i}
              className="h-20 animate-pulse rounded-xl bg-surface-muted motion-reduce:animate-none"
            />
          ))}
        </div>
      ) : !data ? (
        <QueryError query={balance} title={t`Couldn't load your balance`} />
      ) : (
        <>
          <dl className="grid gap-3 sm:grid-cols-3">
            <div className="rounded-xl bg-brand-soft px-4 py-3">
              <dt className="text-xs font-medium text-brand-text">
                <Trans>Available</Trans>
              </dt>
              <dd className="mt-0.5 text-2xl font-semibold tracking-tight text-fg tabular-nums">
                {formatNumber(data.available)}
              </dd>
              <dd className="text-xs text-fg-muted">{formatUsd(data.available)}</dd>
            </div>
            <div className="rounded-xl bg-surface-muted px-4 py-3">
              <dt className="text-xs font-medium text-fg-muted">
                <Trans>Held for answers</Trans>
              </dt>
              <dd className="mt-0.5 text-2xl font-semibold tracking-tight text-fg tabular-nums">
                {formatNumber(data.held)}
              </dd>
              <dd className="text-xs text-fg-muted">
                <Trans>Balance {balanceShown}</Trans>
              </dd>
            </div>
            <div className="rounded-xl bg-surface-muted px-4 py-3">
              <dt className="text-xs font-medium text-fg-muted">
                <Trans>Next expiry</Trans>
              </dt>
              <dd className="mt-0.5 text-lg font-semibold tracking-tight text-fg">
                {data.nextExpiryAt ? (
                  // Read from a raw row: it may arrive as a string rather than a Date.
                  <time dateTime={new Date(data.nextExpiryAt).toISOString()}>
                    {formatDate(new Date(data.nextExpiryAt))}
                  </time>
                ) : (
                  <Trans>None</Trans>
                )}
              </dd>
              <dd className="text-xs text-fg-muted">
                {data.nextExpiryAt ? (
                  <Trans>Some of your credits expire then</Trans>
                ) : (
                  <Trans>Your credits don't expire</Trans>
                )}
              </dd>
            </div>
          </dl>
          {data.available === 0 && (
            <p className="mt-4 rounded-lg bg-amber-500/10 px-4 py-3 text-sm text-fg">
              <Trans>
                You have no credits left to spend. Ask an administrator to add credits to your account.
              </Trans>
            </p>
          )}
        </>
      )}
    </Section>
  );
}
