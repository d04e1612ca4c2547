import { Migration } from "@mikro-orm/migrations";
import { RESERVATION_COST_INT_PRODUCTS } from "./Migration20261201030000_prompt_caching.ts";

/**
 * parley_reservation_cost in numeric throughout. The prompt caching migration's version priced
 * cache tokens of a model without cache prices at `input_price_per1k * 1000`, an int product:
 * above 2,147,483 credits per 1,000 input tokens (admins may set up to MAX_PRICE_PER_1K,
 * 10,000,000) it overflowed int, and every settlement at that price (finalize, abort, the end of a
 * chat answer, the sweeper) failed with "integer out of range" (a 500, the answer left for
 * recovery that failed again). Same signature, same results below that price.
 */
export class Migration20261201100000_reservation_cost_numeric extends Migration {
  override name = "Migration20261201100000_reservation_cost_numeric";

  override up(): void | Promise<void> {
    this.addSql(`create or replace function parley_reservation_cost(r reservations, p_input int, p_output int)
      returns bigint language sql immutable as $$
        select ceil((p_input::numeric * r.input_price_per1k * 1000 + p_output::numeric * r.output_price_per1k * 1000
                     + r.cache_read_tokens::numeric
                       * coalesce(r.cache_read_price_per1m::numeric, r.input_price_per1k::numeric * 1000)
                     + r.cache_write_tokens::numeric
                       * coalesce(r.cache_write_price_per1m::numeric, r.input_price_per1k::numeric * 1000))
                    / 1000000)::bigint
      $$;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create or replace function ${RESERVATION_COST_INT_PRODUCTS}`);
  }
}
