import { Migration } from "@mikro-orm/migrations";
import { SETTLE_ONE_ACCOUNT_UPDATE } from "./Migration20261201080000_ledger_one_account_update.ts";

/**
 * A shorter account-row lock in parley_settle_v1 (the body parley_settle calls): the lock is held
 * from the statement that takes it to the commit, and settling used to write four tables after
 * taking it. Now what does not depend on the account's totals is written before: the settled
 * reservation (status, tokens, cost: an UPDATE that moves it in every index, status being one of
 * them) and its usage record (whose foreign key also takes the user row's key-share lock there).
 * Both are written as if the whole cost is captured, the usual case; under the lock the one
 * statement that consumes the grants and writes the capture and release entries then sets what
 * only the lock can tell: the captured amount and shortfall, the reservation's balance after, and
 * the usage record's entry (small updates of columns no index covers). Nobody sees the early rows
 * before the commit, so every settlement's rows are what they were.
 *
 * Under the lock the grants are consumed by one statement on the first grant (in the order
 * parley_consume_grants takes them: soonest-expiring first) when it covers the cost, the usual
 * case; otherwise by parley_consume_grants' walk over all of them.
 *
 * The sweeper (p_skip_locked), which must not wait for the account and returns having written
 * nothing when it would, takes the account's lock before those writes, as before.
 *
 * Same signature, same results; lock order in a settlement: reservation, user (key share), account.
 */
export class Migration20261201090000_ledger_settle_writes_first extends Migration {
  override name = "Migration20261201090000_ledger_settle_writes_first";

  override up(): void | Promise<void> {
    this.addSql(SETTLE_WRITES_FIRST);
  }

  override down(): void | Promise<void> {
    this.addSql(SETTLE_ONE_ACCOUNT_UPDATE);
  }
}

const SETTLE_WRITES_FIRST = `create or replace function parley_settle_v1(
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
        -- The sweeper may not wait for the account, and returns having written nothing when it would
        -- have to: it takes the account's lock before it writes.
        if p_skip_locked then
          v_account := parley_lock_account(p_user, true);
          if v_account.user_id is null then return null; end if;
        end if;
        -- What does not depend on the account's totals is written before its lock is taken (the
        -- sweeper aside), as if the whole cost is captured: the settled reservation and its usage
        -- record. The statement under the lock below completes both. Nobody sees them before the commit.
        update reservations
           set status = p_status, settled_at = now(), input_tokens = v_input, output_tokens = p_output,
               cost = v_cost, captured = v_cost, shortfall = 0, success = p_success, usage_record_id = v_usage
         where id = p_id;
        insert into usage_records (id, user_id, service, operation, model_id, input_tokens, output_tokens,
                                   credits, shortfall, reservation_id, metadata, created_at)
        values (v_usage, p_user, 'llm',
                case when p_status = 'finalized' then 'stream' else 'stream_' || p_status end,
                v_reservation.model_id, v_input, p_output, v_cost, 0, p_id,
                json_build_object('status', p_status, 'success', p_success, 'held', v_reservation.held,
                                  'cacheReadTokens', v_reservation.cache_read_tokens,
                                  'cacheWriteTokens', v_reservation.cache_write_tokens), now());

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
          if not p_skip_locked then v_account := parley_lock_account(p_user); end if;
          v_captured := least(v_cost, greatest(0, v_account.balance - (v_account.held - v_reservation.held)));
          update credit_accounts
             set balance = balance - v_captured, held = held - v_reservation.held, updated_at = now()
           where user_id = p_user
          returning balance, held into v_balance, v_held;
        end if;
        v_held_used := least(v_reservation.held, v_captured);
        v_released := v_reservation.held - v_held_used;

        -- Under the lock: the grants consumed soonest-expiring first (as parley_consume_grants). The
        -- usual case is one statement on the first grant, which covers the cost; otherwise the walk
        -- over all of them.
        if v_captured > 0 then
          update credit_grants g set remaining = g.remaining - v_captured
           where g.id = (select id from credit_grants where user_id = p_user and not expired and remaining > 0
                          order by expires_at asc nulls last, created_at, id limit 1)
             and g.remaining >= v_captured;
          if not found then
            perform parley_consume_grants(p_user, v_captured);
          end if;
        end if;
        -- Then, in one statement: the capture and release entries in that order, the usage record's
        -- entry and the reservation's balance after (and, when less was captured, the amounts).
        with entries as (
          insert into ledger_entries (user_id, type, amount, held_delta, balance_after, held_after,
                                      actor_id, reservation_id, usage_record_id)
          select p_user, e.type, e.amount, e.held_delta, v_balance, e.held_after, v_actor, p_id, v_usage
            from (values (1, 'capture', -v_captured, -v_held_used, v_held + v_released),
                         (2, 'release', 0::bigint, -v_released, v_held)) as e(ord, type, amount, held_delta, held_after)
           where (e.ord = 1 and (v_captured > 0 or v_held_used > 0)) or (e.ord = 2 and v_released > 0)
           order by e.ord
          returning id),
        usage as (
          update usage_records
             set ledger_entry_id = (select min(id) from entries), credits = v_captured, shortfall = v_cost - v_captured
           where id = v_usage)
        update reservations
           set captured = v_captured, shortfall = v_cost - v_captured, balance_after = v_balance
         where id = p_id
        returning * into v_reservation;
        return v_reservation;
      end $$`;
