import { i18n } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { useLingui } from "@lingui/react/macro";
import { keepPreviousData } from "@tanstack/react-query";
import type { ChatSetup } from "../../lib/chat/use-chat-config.ts";
import { trpc } from "../../lib/trpc.ts";
import { LedgerSection, useLedgerFilter } from "../ledger/LedgerSection.tsx";
import { LEDGER_TYPE_LABELS } from "../ledger/ledger-types.ts";

/** A person's own history shows an answer as one row; these are the other movements. */
/** A function, so the labels are read in the language active when shown. */
function historyFilters() {
  return [
    { value: "", label: i18n._(msg`Everything`) },
    { value: "reserve", label: i18n._(msg`Answers`) },
    ...(["allocate", "set", "adjust", "remove", "expire", "refund"] as const).map((type) => ({
      value: type,
      label: LEDGER_TYPE_LABELS[type],
    })),
  ];
}

/** The person's credit history, newest first: one row per answer, its hold and charge on expand. */
export function CreditHistorySection({ setup }: { setup: ChatSetup | undefined }) {
  const { t } = useLingui();
  const filter = useLedgerFilter(10);
  const ledger = trpc.accounting.groupedHistory.useQuery(filter.input, { placeholderData: keepPreviousData });
  return (
    <LedgerSection
      id="ledger"
      title={t`Credit history`}
      description={t`Credits added to your account and what each answer cost; open an answer to see what was held while it was written.`}
      filters={historyFilters()}
      filter={filter}
      ledger={ledger}
      modelName={(modelId) => setup?.displayName(modelId) ?? modelId}
    />
  );
}
