import { i18n } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { useLingui } from "@lingui/react/macro";
import { keepPreviousData } from "@tanstack/react-query";
import { ScrollText } from "lucide-react";
import { useMemo } from "react";
import { trpc } from "../../lib/trpc.ts";
import { LedgerSection, useLedgerFilter } from "../ledger/LedgerSection.tsx";
import { entryRow, LEDGER_TYPE_LABELS, LEDGER_TYPES } from "../ledger/ledger-types.ts";
import { labelledOptions } from "../ui/SelectField.tsx";

/** A function, so the labels are read in the language active when shown. */
function ledgerFilters() {
  return [{ value: "", label: i18n._(msg`All types`) }, ...labelledOptions(LEDGER_TYPES, LEDGER_TYPE_LABELS)];
}

/** The account's full ledger, newest first: every entry with its actor and notes. */
export function AccountLedgerSection({ userId }: { userId: string }) {
  const { t } = useLingui();
  const filter = useLedgerFilter(20);
  const query = trpc.admin.credits.historyOf.useQuery(
    { userId, ...filter.input },
    { placeholderData: keepPreviousData },
  );
  const data = useMemo(
    () => (query.data ? { ...query.data, items: query.data.items.map(entryRow) } : undefined),
    [query.data],
  );
  return (
    <LedgerSection
      icon={ScrollText}
      title={t`Ledger`}
      description={t`Every movement of this account's credits, newest first.`}
      filters={ledgerFilters()}
      filter={filter}
      ledger={{
        data,
        error: query.error,
        isPending: query.isPending,
        isFetching: query.isFetching,
        refetch: query.refetch,
      }}
    />
  );
}
