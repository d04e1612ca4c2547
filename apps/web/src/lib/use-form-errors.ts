import { type RefObject, useEffect, useRef, useState } from "react";
import { type FormErrors, NO_ERRORS } from "./errors.ts";

export interface FormErrorsState<Field extends string> {
  formRef: RefObject<HTMLFormElement | null>;
  errors: FormErrors<Field>;
  /** Shows a fresh set of errors and moves focus to the first invalid input. */
  report: (errors: FormErrors<Field>) => void;
  clear: () => void;
  /** Drops one input's error as soon as the person edits it. */
  clearField: (name: string) => void;
}

export function useFormErrors<Field extends string>(): FormErrorsState<Field> {
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_ERRORS);
  // Counts reports rather than watching `errors`, so clearing one field while typing does not
  // yank focus to another invalid input.
  const [reports, setReports] = useState(0);

  useEffect(() => {
    if (reports === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [reports]);

  return {
    formRef,
    errors,
    report: (next) => {
      setErrors(next);
      setReports((count) => count + 1);
    },
    clear: () => setErrors(NO_ERRORS),
    clearField: (name) =>
      setErrors((prev) => {
        if (!(name in prev.fields)) return prev;
        const fields = { ...prev.fields };
        delete fields[name as Field];
        return { ...prev, fields };
      }),
  };
}
