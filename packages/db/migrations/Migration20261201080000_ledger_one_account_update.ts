import { Migration } from "@mikro-orm/migrations";

/**
 * Shorter account-row lock holds, so a busy account (many turns of one user, one team account)
 * serialises as little as possible. Signatures are unchanged; semantics too.
 *
 * - parley_reserve writes the reservation row (and settles the idempotency question) before it
 *   touches the account; the hold and its ledger entry are then one statement whose UPDATE takes
 *   the account's lock, with the availability check in its WHERE. Only when that finds nothing (a
 *   new account, a grant due to expire, not enough credits) does it take the full path under the
 *   lock (parley_lock_account), which refuses or holds exactly as before.
 * - parley_settle_v1 locks the reservation first (settling it once is that row's business) and
 *   moves the account's totals in one UPDATE: one account-row version per settlement instead of
 *   two (capture, then release), and no separate locking read. The capture and release entries
 *   carry the running totals they would have had one after the other, so every entry's totals are
 *   the sums up to it, as before. Lock order everywhere in a settlement: reservation, then account.
 *   Its cost is prompt_caching's (parley_reservation_cost: cache tokens at the cache prices).
 */
export class Migration20261201080000_ledger_one_account_update extends Migration {
  override name = "Migration20261201080000_ledger_one_account_update";

  override up(): void | Promise<void> {
    this.addSql(SETTLE_ONE_ACCOUNT_UPDATE);
    this.addSql(RESERVE_LOCK_LAST);
  }

  override down(): void | Promise<void> {
    this.addSql(SETTLE_PREVIOUS);
    this.addSql(RESERVE_PREVIOUS);
  }
}

// Exported for the down() of ledger_settle_writes_first, which replaces it.
export const SETTLE_ONE_ACCOUNT_UPDATE = `create or replace function parley_settle_v1(
        p_user uuid, p_id uuid, p_status text, p_input int, p_output int, p_success boolean,
        p_skip_locked boolean default false)
      returns reservations language plpgsql as $$
      declare
        v_account credit_accounts;
        v_reservation reservations;
        v_input int;
        v_cost bigint;
        v_captured bigint;
        v_held_used bigint;
        v_released bigint;
        v_actor uuid := case when p_status = 'expired' then null else p_user end;
        v_usage uuid := gen_random_uuid();
        v_balance bigint;
        v_held bigint;
      begin
        -- The reservation's lock first: a concurrent settle of it has finished by the time we read it.
        -- The sweeper (p_skip_locked) leaves anything locked by someone else for its next pass.
        if p_skip_locked then
          select * into v_reservation from reservations where id = p_id and user_id = p_user for update skip locked;
          if not found then return null; end if;
        else
          select * into v_reservation from reservations where id = p_id and user_id = p_user for update;
          if not found then
            raise exception 'No such streaming session.' using errcode = 'PL404';
          end if;
        end if;
        -- The sweeper settles only what is still open and past its time; anything else is not its business.
        if p_status = 'expired' and (v_reservation.status <> 'open' or v_reservation.expires_at > now()) then
          return null;
        end if;
        if v_reservation.status = p_status then return v_reservation; end if;
        if v_reservation.status <> 'open' then
          raise exception 'This streaming session was already %.', v_reservation.status
            using errcode = 'PL409', detail = json_build_object('status', v_reservation.status)::text;
        end if;

        v_input := coalesce(p_input, v_reservation.estimated_input_tokens);
        v_cost := parley_reservation_cost(v_reservation, v_input, p_output);
        -- The usual case, in one statement that takes the account's lock: no grant due to expire and
        -- the whole cost covered (by this hold and what is available beside the other holds).
        if not p_skip_locked then
          update credit_accounts
             set balance = balance - v_cost, held = held - v_reservation.held, updated_at = now()
           where user_id = p_user and (next_expiry_at is null or next_expiry_at > now())
             and balance - (held - v_reservation.held) >= v_cost
          returning balance, held into v_balance, v_held;
          if found then v_captured := v_cost; end if;
        end if;
        if v_captured is null then
          -- Otherwise: the account's lock (expiring due grants), then what can be captured.
          v_account := parley_lock_account(p_user, p_skip_locked);
          if v_account.user_id is null then return null; end if;
          v_captured := least(v_cost, greatest(0, v_account.balance - (v_account.held - v_reservation.held)));
          update credit_accounts
             set balance = balance - v_captured, held = held - v_reservation.held, updated_at = now()
           where user_id = p_user
          returning balance, held into v_balance, v_held;
        end if;
        v_held_used := least(v_reservation.held, v_captured);
        v_released := v_reservation.held - v_held_used;

        -- The rest in one statement (its snapshot taken under the account's lock): the grants consumed
        -- soonest-expiring first (as parley_consume_grants), the capture and release entries in that
        -- order, the usage record and the settled reservation.
        with consumed as (
          update credit_grants g
             set remaining = g.remaining - least(g.remaining, v_captured - o.before)
            from (select id,
                         coalesce(sum(remaining) over (order by expires_at asc nulls last, created_at, id
                                                       rows between unbounded preceding and 1 preceding), 0) as before
                    from credit_grants
                   where user_id = p_user and not expired and remaining > 0) o
           where g.id = o.id and o.before < v_captured
          returning g.id),
        entries as (
          insert into ledger_entries (user_id, type, amount, held_delta, balance_after, held_after,
                                      actor_id, reservation_id, usage_record_id)
          select p_user, e.type, e.amount, e.held_delta, v_balance, e.held_after, v_actor, p_id, v_usage
            from (values (1, 'capture', -v_captured, -v_held_used, v_held + v_released),
                         (2, 'release', 0::bigint, -v_released, v_held)) as e(ord, type, amount, held_delta, held_after)
           where (e.ord = 1 and (v_captured > 0 or v_held_used > 0)) or (e.ord = 2 and v_released > 0)
           order by e.ord
          returning id),
        usage as (
          insert into usage_records (id, user_id, service, operation, model_id, input_tokens, output_tokens,
                                     credits, shortfall, reservation_id, ledger_entry_id, metadata, created_at)
          values (v_usage, p_user, 'llm',
                  case when p_status = 'finalized' then 'stream' else 'stream_' || p_status end,
                  v_reservation.model_id, v_input, p_output, v_captured, v_cost - v_captured, p_id,
                  (select min(id) from entries),
                  json_build_object('status', p_status, 'success', p_success, 'held', v_reservation.held,
                                    'cacheReadTokens', v_reservation.cache_read_tokens,
                                    'cacheWriteTokens', v_reservation.cache_write_tokens), now()))
        update reservations
           set status = p_status, settled_at = now(), input_tokens = v_input, output_tokens = p_output,
               cost = v_cost, captured = v_captured, shortfall = v_cost - v_captured, success = p_success,
               usage_record_id = v_usage, balance_after = v_balance
         where id = p_id
        returning * into v_reservation;
        return v_reservation;
      end $$;`;

const RESERVE_LOCK_LAST = `create or replace function parley_reserve(
        p_user uuid, p_id uuid, p_model text, p_input int, p_output int, p_ttl_seconds int,
        p_owner text default 'api')
      returns reservations language plpgsql as $$
      declare
        v_price model_prices;
        v_hold bigint;
        v_account credit_accounts;
        v_reservation reservations;
      begin
        select * into v_price from model_prices where model_id = p_model and enabled;
        if not found then
          raise exception 'Unknown model "%". Available: %.', p_model,
            (select coalesce(string_agg(model_id, ', ' order by model_id), 'none') from model_prices where enabled)
            using errcode = 'PL400',
                  detail = json_build_object('field', 'modelId', 'models',
                    (select coalesce(json_agg(model_id order by model_id), '[]') from model_prices where enabled))::text;
        end if;
        v_hold := parley_cost(v_price.input_per1k, v_price.output_per1k, p_input, p_output);
        if not exists (select 1 from credit_accounts where user_id = p_user) then
          -- A first use: creates the account (or refuses an unknown user) before anything refers to it.
          perform parley_lock_account(p_user);
        end if;
        -- Initializing the same id twice holds credits once: a concurrent insert of the same id
        -- waits for the first to commit, then finds its row.
        insert into reservations (id, user_id, model_id, estimated_input_tokens, estimated_output_tokens,
                                  input_price_per1k, output_price_per1k, held, status, created_at, expires_at, owner)
        values (p_id, p_user, p_model, p_input, p_output, v_price.input_per1k, v_price.output_per1k, v_hold,
                'open', now(), now() + make_interval(secs => p_ttl_seconds), p_owner)
        on conflict (id) do nothing
        returning * into v_reservation;
        if not found then
          select * into v_reservation from reservations where id = p_id;
          if v_reservation.user_id <> p_user then
            raise exception 'That session id is already in use.'
              using errcode = 'PL409', detail = json_build_object('field', 'sessionId')::text;
          end if;
          if p_owner <> 'api' and v_reservation.owner <> p_owner then
            update reservations set owner = p_owner where id = p_id returning * into v_reservation;
          end if;
          return v_reservation;
        end if;
        -- The hold and its entry in one statement, whose UPDATE takes the account's lock.
        with account as (
          update credit_accounts set held = held + v_hold, updated_at = now()
           where user_id = p_user and (next_expiry_at is null or next_expiry_at > now())
             and balance - held >= v_hold
          returning balance, held)
        insert into ledger_entries (user_id, type, amount, held_delta, balance_after, held_after, actor_id,
                                    reservation_id)
        select p_user, 'reserve', 0, v_hold, balance, held, p_user, p_id from account;
        if not found then
          -- A grant due to expire, or not enough credits: decided under the lock, as before.
          v_account := parley_lock_account(p_user);
          if v_hold > parley_available(v_account) then
            raise exception 'Not enough credits: this request needs up to %, and % are available.',
              v_hold, parley_available(v_account)
              using errcode = 'PL402',
                    detail = json_build_object('available', parley_available(v_account), 'required', v_hold)::text;
          end if;
          perform parley_append_entry(p_user, 'reserve', 0, v_hold, p_user, null, p_id, null, null);
        end if;
        return v_reservation;
      end $$;`;

// The definitions these replace (prompt_caching and chat_turns migrations), for down().
const SETTLE_PREVIOUS = `create or replace function parley_settle_v1(
        p_user uuid, p_id uuid, p_status text, p_input int, p_output int, p_success boolean,
        p_skip_locked boolean default false)
      returns reservations language plpgsql as $$
      declare
        v_account credit_accounts;
        v_reservation reservations;
        v_input int;
        v_cost bigint;
        v_captured bigint;
        v_held_used bigint;
        v_released bigint;
        v_actor uuid := case when p_status = 'expired' then null else p_user end;
        v_usage uuid := gen_random_uuid();
        v_entry bigint;
        v_release_entry bigint;
      begin
        v_account := parley_lock_account(p_user, p_skip_locked);
        if v_account.user_id is null then return null; end if;
        select * into v_reservation from reservations where id = p_id and user_id = p_user;
        if not found then
          raise exception 'No such streaming session.' using errcode = 'PL404';
        end if;
        if p_status = 'expired' and (v_reservation.status <> 'open' or v_reservation.expires_at > now()) then
          return null;
        end if;
        if v_reservation.status = p_status then return v_reservation; end if;
        if v_reservation.status <> 'open' then
          raise exception 'This streaming session was already %.', v_reservation.status
            using errcode = 'PL409', detail = json_build_object('status', v_reservation.status)::text;
        end if;

        v_input := coalesce(p_input, v_reservation.estimated_input_tokens);
        -- Changed from the original: the cost counts the cache tokens at the cache prices.
        v_cost := parley_reservation_cost(v_reservation, v_input, p_output);
        v_captured := least(v_cost, greatest(0, v_account.balance - (v_account.held - v_reservation.held)));
        v_held_used := least(v_reservation.held, v_captured);
        v_released := v_reservation.held - v_held_used;

        perform parley_consume_grants(p_user, v_captured);
        if v_captured > 0 or v_held_used > 0 then
          v_entry := parley_append_entry(p_user, 'capture', -v_captured, -v_held_used, v_actor, null, p_id, v_usage, null);
        end if;
        if v_released > 0 then
          v_release_entry := parley_append_entry(p_user, 'release', 0, -v_released, v_actor, null, p_id, v_usage, null);
        end if;
        insert into usage_records (id, user_id, service, operation, model_id, input_tokens, output_tokens,
                                   credits, shortfall, reservation_id, ledger_entry_id, metadata, created_at)
        values (v_usage, p_user, 'llm',
                case when p_status = 'finalized' then 'stream' else 'stream_' || p_status end,
                v_reservation.model_id, v_input, p_output, v_captured, v_cost - v_captured, p_id,
                coalesce(v_entry, v_release_entry),
                json_build_object('status', p_status, 'success', p_success, 'held', v_reservation.held,
                                  'cacheReadTokens', v_reservation.cache_read_tokens,
                                  'cacheWriteTokens', v_reservation.cache_write_tokens), now());
        update reservations
           set status = p_status, settled_at = now(), input_tokens = v_input, output_tokens = p_output,
               cost = v_cost, captured = v_captured, shortfall = v_cost - v_captured, success = p_success,
               usage_record_id = v_usage,
               balance_after = (select balance from credit_accounts where user_id = p_user)
         where id = p_id
        returning * into v_reservation;
        return v_reservation;
      end $$;`;

const RESERVE_PREVIOUS = `create or replace function parley_reserve(
        p_user uuid, p_id uuid, p_model text, p_input int, p_output int, p_ttl_seconds int,
        p_owner text default 'api')
      returns reservations language plpgsql as $$
      declare
        v_reservation reservations;
      begin
        v_reservation := parley_reserve_v1(p_user, p_id, p_model, p_input, p_output, p_ttl_seconds);
        if p_owner <> 'api' and v_reservation.owner <> p_owner then
          update reservations set owner = p_owner where id = p_id returning * into v_reservation;
        end if;
        return v_reservation;
      end $$;`;
