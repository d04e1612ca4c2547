// The list of committed migrations, in order. `pnpm db:migration:create` regenerates this file.
import type { MigrationObject } from "@mikro-orm/core";
import { Migration20261122015317_initial } from "./Migration20261122015317_initial.ts";
import { Migration20261122020930_accounting } from "./Migration20261122020930_accounting.ts";
import { Migration20261122022000_ledger_functions } from "./Migration20261122022000_ledger_functions.ts";
import { Migration20261122022920_chat } from "./Migration20261122022920_chat.ts";
import { Migration20261130070000_chat_turns } from "./Migration20261130070000_chat_turns.ts";
import { Migration20261130073000_accounts } from "./Migration20261130073000_accounts.ts";
import { Migration20261130074500_api_keys } from "./Migration20261130074500_api_keys.ts";
import { Migration20261130075500_sso } from "./Migration20261130075500_sso.ts";
import { Migration20261130080000_audit_events } from "./Migration20261130080000_audit_events.ts";
import { Migration20261201030000_prompt_caching } from "./Migration20261201030000_prompt_caching.ts";
import { Migration20261201031000_chat_settings } from "./Migration20261201031000_chat_settings.ts";
import { Migration20261201040000_chat_branches } from "./Migration20261201040000_chat_branches.ts";
import { Migration20261201050000_attachments } from "./Migration20261201050000_attachments.ts";
import { Migration20261201060000_social } from "./Migration20261201060000_social.ts";
import { Migration20261201080000_ledger_one_account_update } from "./Migration20261201080000_ledger_one_account_update.ts";
import { Migration20261201090000_ledger_settle_writes_first } from "./Migration20261201090000_ledger_settle_writes_first.ts";
import { Migration20261201100000_reservation_cost_numeric } from "./Migration20261201100000_reservation_cost_numeric.ts";
import { Migration20261203010000_process_heartbeats } from "./Migration20261203010000_process_heartbeats.ts";

export const migrations: MigrationObject[] = [
  { name: "Migration20261122015317_initial", class: Migration20261122015317_initial },
  { name: "Migration20261122020930_accounting", class: Migration20261122020930_accounting },
  { name: "Migration20261122022000_ledger_functions", class: Migration20261122022000_ledger_functions },
  { name: "Migration20261122022920_chat", class: Migration20261122022920_chat },
  { name: "Migration20261130070000_chat_turns", class: Migration20261130070000_chat_turns },
  { name: "Migration20261130073000_accounts", class: Migration20261130073000_accounts },
  { name: "Migration20261130074500_api_keys", class: Migration20261130074500_api_keys },
  { name: "Migration20261130075500_sso", class: Migration20261130075500_sso },
  { name: "Migration20261130080000_audit_events", class: Migration20261130080000_audit_events },
  { name: "Migration20261201030000_prompt_caching", class: Migration20261201030000_prompt_caching },
  { name: "Migration20261201031000_chat_settings", class: Migration20261201031000_chat_settings },
  { name: "Migration20261201040000_chat_branches", class: Migration20261201040000_chat_branches },
  { name: "Migration20261201050000_attachments", class: Migration20261201050000_attachments },
  { name: "Migration20261201060000_social", class: Migration20261201060000_social },
  {
    name: "Migration20261201080000_ledger_one_account_update",
    class: Migration20261201080000_ledger_one_account_update,
  },
  {
    name: "Migration20261201090000_ledger_settle_writes_first",
    class: Migration20261201090000_ledger_settle_writes_first,
  },
  {
    name: "Migration20261201100000_reservation_cost_numeric",
    class: Migration20261201100000_reservation_cost_numeric,
  },
  { name: "Migration20261203010000_process_heartbeats", class: Migration20261203010000_process_heartbeats },
];
