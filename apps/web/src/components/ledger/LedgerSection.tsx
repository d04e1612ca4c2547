import { useLingui } from "@lingui/react/macro";
import type { LucideIcon } from "lucide-react";
import { ReceiptText } from "lucide-react";
import { useState } from "react";
import type { LedgerEntryType, LedgerRow } from "../../lib/api-types.ts";
import type { TablePage } from "../ui/DataTable.tsx";
import { QueryError } from "../ui/QueryError.tsx";
import { Section } from "../ui/Section.tsx";
import { SelectField } from "../ui/SelectField.tsx";
import { EmptyState, LoadingBlock } from "../ui/states.tsx";
import { LedgerTable } from "./LedgerTable.tsx";
import { isLedgerType } from "./ledger-types.ts";

export interface LedgerPageInput {
  page: number;
  size: number;
  type?: LedgerEntryType;
}

/** What the section needs of the query behind it. */
export interface LedgerQuery {
  data: (TablePage & { items: readonly LedgerRow[] }) | undefined;
  error: unknown;
  isPending: boolean;
  isFetching: boolean;
  refetch: () => unknown;
}

/** The section's page and type filter; the query behind the section is called with `input`. */
export function useLedgerFilter(size: number) {
  const [page, setPage] = useState(1);
  const [type, setType] = useState<LedgerEntryType | "">("");
  const input: LedgerPageInput = { page, size, ...(type ? { type } : {}) };
  return { page, setPage, type, setType, input };
}

type LedgerFilter = ReturnType<typeof useLedgerFilter>;

interface LedgerSectionProps {
  id?: string;
  icon?: LucideIcon;
  title: string;
  description: string;
  /** The type filter's choices; "" is everything. */
  filters: readonly { value: string; label: string }[];
  filter: LedgerFilter;
  ledger: LedgerQuery;
  modelName?: (modelId: string) => string;
}

/** A ledger with its type filter and pages: the profile's credit history and the admin's ledger. */
export function LedgerSection({
  id,
  icon = ReceiptText,
  title,
  description,
  filters,
  filter: { type, setType, setPage },
  ledger,
  modelName,
}: LedgerSectionProps) {
  const { t } = useLingui();
  return (
    <Section
      {...(id ? { id } : {})}
      icon={icon}
      title={title}
      description={description}
      flush
      actions={
        <SelectField
          inline
          label={t`Show`}
          value={type}
          onChange={(event) => {
            const value = event.target.value;
            setType(isLedgerType(value) ? value : "");
            setPage(1);
          }}
          options={filters}
        />
      }
    >
      {ledger.isPending ? (
        <LoadingBlock label={t`Loading the ledger…`} className="py-10" />
      ) : !ledger.data ? (
        <QueryError query={ledger} title={t`Couldn't load the ledger`} className="p-5" />
      ) : ledger.data.items.length === 0 ? (
        <EmptyState icon={icon} title={type ? t`Nothing of this kind yet` : t`No credit movements yet`} />
      ) : (
        <LedgerTable
          label={`${title} entries`}
          rows={ledger.data.items}
          page={{ ...ledger.data, onPage: setPage }}
          busy={ledger.isFetching}
          {...(modelName ? { modelName } : {})}
        />
      )}
    </Section>
  );
}
