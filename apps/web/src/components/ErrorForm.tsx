import type { FormEvent, ReactNode } from "react";
import type { FormErrorsState } from "../lib/use-form-errors.ts";
import { Alert } from "./ui/Alert.tsx";

/**
 * A form wired to `useFormErrors`: the form-wide message above the fields, each field's error
 * dropped as soon as it is edited (focus on the first invalid input comes from the hook).
 */
export function ErrorForm<Field extends string>({
  form,
  onSubmit,
  children,
}: {
  form: Pick<FormErrorsState<Field>, "formRef" | "errors" | "clearField">;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  children: ReactNode;
}) {
  return (
    <form
      ref={form.formRef}
      noValidate
      onSubmit={onSubmit}
      onChange={(event) => {
        if (event.target instanceof HTMLInputElement) form.clearField(event.target.name);
      }}
      className="space-y-5"
    >
      {form.errors.message && <Alert>{form.errors.message}</Alert>}
      {children}
    </form>
  );
}
