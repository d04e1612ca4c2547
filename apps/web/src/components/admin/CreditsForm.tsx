import { type FormEvent, useState } from "react";
import { type FormErrors, isTrpcError, toFormErrors } from "../../lib/errors.ts";
import { trpc } from "../../lib/trpc.ts";
import { useFormErrors } from "../../lib/use-form-errors.ts";
import { Alert } from "../Alert.tsx";
import { Button } from "../Button.tsx";
import { TextField } from "../TextField.tsx";
import { ConfirmDialog } from "./Dialog.tsx";
import { creditsToUsd, formatNumber, formatSigned, parseWholeNumber } from "./format.ts";
import type { AccountBalance } from "./types.ts";
import { Segmented } from "./ui.tsx";

type Action = "allocate" | "adjust" | "set" | "remove";
type Field = "amount" | "expiryDays" | "notes";
/** What the API calls the amount, per action; its errors are shown on the one amount input. */
const API_FIELDS = ["credits", "adjustment", "expiryDays", "notes"] as const;

const MAX_CREDITS = 1_000_000_000_000;
const MAX_EXPIRY_DAYS = 3650;
const MAX_NOTES = 500;

const ACTIONS: readonly { value: Action; label: string }[] = [
  { value: "allocate", label: "Allocate" },
  { value: "adjust", label: "Adjust" },
  { value: "set", label: "Set balance" },
  { value: "remove", label: "Remove" },
];

const COPY: Record<Action, { amountLabel: string; hint: string; submit: string; expiry: boolean }> = {
  allocate: {
    amountLabel: "Credits to add",
    hint: "Added as a new grant.",
    submit: "Allocate credits",
    expiry: true,
  },
  adjust: {
    amountLabel: "Adjustment",
    hint: "A signed correction: 500 adds, −500 takes away.",
    submit: "Apply adjustment",
    expiry: true,
  },
  set: {
    amountLabel: "New balance",
    hint: "The balance becomes exactly this.",
    submit: "Set balance",
    expiry: true,
  },
  remove: {
    amountLabel: "Credits to remove",
    hint: "Taken from what is available; credits held by running requests stay.",
    submit: "Remove credits",
    expiry: false,
  },
};

interface Movement {
  action: Action;
  amount: number;
  expiryDays: number | undefined;
  notes: string | undefined;
}

interface CreditsFormProps {
  userId: string;
  userName: string;
  account: AccountBalance;
}

/** Allocate, adjust, set or remove a user's credits, with notes and expiry for the audit trail. */
export function CreditsForm({ userId, userName, account }: CreditsFormProps) {
  const utils = trpc.useUtils();
  const [action, setAction] = useState<Action>("allocate");
  const [amount, setAmount] = useState("");
  const [expiryDays, setExpiryDays] = useState("");
  const [notes, setNotes] = useState("");
  const [pending, setPending] = useState<Movement | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { formRef, errors, report, clear, clearField } = useFormErrors<Field>();

  const onSuccess = async (
    balance: { balance: number; held: number; available: number },
    movement: Movement,
  ) => {
    await Promise.all([
      utils.admin.credits.balanceOf.invalidate({ userId }),
      utils.admin.credits.historyOf.invalidate({ userId }),
      utils.admin.credits.grantsOf.invalidate({ userId }),
    ]);
    setPending(null);
    setAmount("");
    setExpiryDays("");
    setNotes("");
    setDone(
      `${describe(movement)} ${userName}'s balance is now ${formatNumber(balance.balance)} credits (${formatNumber(balance.available)} available).`,
    );
  };
  const onError = (error: unknown) => {
    setPending(null);
    report(withDetail(toAmountErrors(toFormErrors(error, API_FIELDS)), error, account));
  };

  const allocate = trpc.admin.credits.allocate.useMutation();
  const adjust = trpc.admin.credits.adjust.useMutation();
  const set = trpc.admin.credits.set.useMutation();
  const remove = trpc.admin.credits.remove.useMutation();
  const busy = allocate.isPending || adjust.isPending || set.isPending || remove.isPending;

  const run = (movement: Movement) => {
    const common = {
      userId,
      ...(movement.notes ? { notes: movement.notes } : {}),
    };
    const expiry = movement.expiryDays ? { expiryDays: movement.expiryDays } : {};
    const callbacks = {
      onSuccess: (balance: AccountBalanceFigures) => onSuccess(balance, movement),
      onError,
    };
    switch (movement.action) {
      case "allocate":
        return allocate.mutate({ ...common, ...expiry, credits: movement.amount }, callbacks);
      case "adjust":
        return adjust.mutate(
          { ...common, ...(movement.amount > 0 ? expiry : {}), adjustment: movement.amount },
          callbacks,
        );
      case "set":
        return set.mutate({ ...common, ...expiry, credits: movement.amount }, callbacks);
      case "remove":
        return remove.mutate({ ...common, credits: movement.amount }, callbacks);
    }
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone(null);
    const { problems, movement } = validate(action, amount, expiryDays, notes);
    if (!movement) return report(problems);
    clear();
    if (isDestructive(movement, account.balance)) setPending(movement);
    else run(movement);
  };

  const copy = COPY[action];
  const parsed = parseWholeNumber(amount);
  const amountHint = `${copy.hint}${parsed !== null && parsed !== 0 ? ` ${formatSigned(parsed).replace(/^\+/, "")} credits = ${creditsToUsd(Math.abs(parsed))}.` : ""}${
    action === "remove" ? ` ${formatNumber(account.available)} available.` : ""
  }`;

  return (
    <>
      <form
        ref={formRef}
        noValidate
        onSubmit={onSubmit}
        onChange={(event) => {
          if (event.target instanceof HTMLInputElement) clearField(event.target.name);
        }}
        className="space-y-5"
      >
        <Segmented
          legend="Action"
          name="credit-action"
          value={action}
          options={ACTIONS}
          onChange={(next) => {
            setAction(next);
            clear();
            setDone(null);
          }}
        />
        {errors.message && <Alert title="Credits not changed">{errors.message}</Alert>}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label={copy.amountLabel}
            name="amount"
            inputMode={action === "adjust" ? "text" : "numeric"}
            autoComplete="off"
            placeholder={action === "adjust" ? "e.g. 500 or -500" : "e.g. 1000"}
            value={amount}
            onChange={(event) => setAmount(event.target.value)}
            hint={amountHint}
            error={errors.fields.amount}
          />
          {copy.expiry && (
            <TextField
              label="Expires after (days)"
              name="expiryDays"
              inputMode="numeric"
              autoComplete="off"
              optional
              value={expiryDays}
              onChange={(event) => setExpiryDays(event.target.value)}
              hint={
                action === "adjust"
                  ? "For a positive adjustment. Empty: never expires."
                  : "Empty: the credits never expire."
              }
              error={errors.fields.expiryDays}
            />
          )}
        </div>
        <TextField
          label="Notes"
          name="notes"
          autoComplete="off"
          optional
          maxLength={MAX_NOTES}
          placeholder="Why, for the ledger (e.g. ticket number)"
          value={notes}
          onChange={(event) => setNotes(event.target.value)}
          error={errors.fields.notes}
        />
        <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
            {done}
          </p>
          <Button type="submit" loading={busy} variant={action === "remove" ? "danger" : "primary"}>
            {copy.submit}
          </Button>
        </div>
      </form>

      {pending && (
        <ConfirmDialog
          title={confirmTitle(pending)}
          confirmLabel={COPY[pending.action].submit}
          loading={busy}
          onCancel={() => setPending(null)}
          onConfirm={() => run(pending)}
        >
          {confirmText(pending, userName, account)}
          {pending.notes && (
            <span className="mt-2 block">
              Notes: <span className="text-fg">{pending.notes}</span>
            </span>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}

type AccountBalanceFigures = { balance: number; held: number; available: number };

function validate(
  action: Action,
  amountText: string,
  expiryText: string,
  notesText: string,
): { problems: FormErrors<Field>; movement: Movement | null } {
  const fields: Partial<Record<Field, string>> = {};
  const amount = parseWholeNumber(amountText);
  if (!amountText.trim()) fields.amount = "Enter a number of credits.";
  else if (amount === null) fields.amount = "Enter a whole number of credits.";
  else if (Math.abs(amount) > MAX_CREDITS) fields.amount = `At most ${formatNumber(MAX_CREDITS)} credits.`;
  else if (action === "adjust" && amount === 0) fields.amount = "The adjustment can't be zero.";
  else if (action === "set" && amount < 0) fields.amount = "A balance can't be negative.";
  else if ((action === "allocate" || action === "remove") && amount <= 0)
    fields.amount = "Enter a positive number.";

  let expiryDays: number | undefined;
  if (COPY[action].expiry && expiryText.trim()) {
    const days = parseWholeNumber(expiryText);
    if (days === null || days < 1 || days > MAX_EXPIRY_DAYS) {
      fields.expiryDays = `Enter a whole number of days from 1 to ${formatNumber(MAX_EXPIRY_DAYS)}, or leave it empty.`;
    } else expiryDays = days;
  }
  const notes = notesText.trim();
  if (notes.length > MAX_NOTES) fields.notes = `Notes can be at most ${MAX_NOTES} characters.`;

  const problems = { fields, message: null };
  if (Object.keys(fields).length > 0 || amount === null) return { problems, movement: null };
  return { problems, movement: { action, amount, expiryDays, notes: notes || undefined } };
}

/** Taking credits away asks first: removals, negative adjustments, and setting a lower balance. */
function isDestructive(movement: Movement, balance: number): boolean {
  if (movement.action === "remove") return true;
  if (movement.action === "adjust") return movement.amount < 0;
  if (movement.action === "set") return movement.amount < balance;
  return false;
}

function confirmTitle(movement: Movement): string {
  if (movement.action === "set") return "Lower the balance?";
  return "Take credits away?";
}

function confirmText(movement: Movement, name: string, account: AccountBalance): string {
  if (movement.action === "set") {
    return `Set ${name}'s balance to ${formatNumber(movement.amount)} credits? That takes away ${formatNumber(account.balance - movement.amount)} of their ${formatNumber(account.balance)} credits.`;
  }
  const taken = Math.abs(movement.amount);
  return `Remove ${formatNumber(taken)} credits (${creditsToUsd(taken)}) from ${name}? They have ${formatNumber(account.available)} available now.`;
}

function describe(movement: Movement): string {
  switch (movement.action) {
    case "allocate":
      return `Added ${formatNumber(movement.amount)} credits.`;
    case "adjust":
      return `Adjusted by ${formatSigned(movement.amount)} credits.`;
    case "set":
      return `Balance set to ${formatNumber(movement.amount)} credits.`;
    case "remove":
      return `Removed ${formatNumber(movement.amount)} credits.`;
  }
}

/**
 * The ledger's refusals carry figures in data.detail (what is available, what is held); they are
 * restated with thousands separators, which the raw message lacks.
 */
function withDetail(errors: FormErrors<Field>, error: unknown, account: AccountBalance): FormErrors<Field> {
  const detail = isTrpcError(error) ? error.data?.detail : null;
  if (!detail || !errors.fields.amount) return errors;
  const { available, held } = detail;
  let amount = errors.fields.amount;
  if (typeof available === "number") {
    const heldNow =
      account.held > 0 ? ` ${formatNumber(account.held)} more are held by running requests.` : "";
    amount = `Only ${formatNumber(available)} credits are available to remove.${heldNow}`;
  } else if (typeof held === "number") {
    amount = `${formatNumber(held)} credits are held by running requests; the balance can't be set below that.`;
  }
  return { ...errors, fields: { ...errors.fields, amount } };
}

/** The API names the amount "credits" or "adjustment"; the form has one amount input for both. */
function toAmountErrors(errors: FormErrors<(typeof API_FIELDS)[number]>): FormErrors<Field> {
  const { credits, adjustment, ...rest } = errors.fields;
  const amount = credits ?? adjustment;
  return { fields: { ...rest, ...(amount ? { amount } : {}) }, message: errors.message };
}
