import { t } from "@lingui/core/macro";
import { MIN_PASSWORD_LENGTH, MIN_USERNAME_LENGTH } from "@parley/validators";
import type { FormErrors } from "./errors.ts";

// The server's own minimums catch the common mistakes before a round trip; the server still
// judges strength (common passwords, containing the username) and has the final word.

export type LoginField = "login" | "password";
export const LOGIN_FIELDS: readonly LoginField[] = ["login", "password"];

export interface LoginValues {
  login: string;
  password: string;
}

export function validateLogin(values: LoginValues): FormErrors<LoginField> {
  const fields: FormErrors<LoginField>["fields"] = {};
  if (!values.login) fields.login = t`Enter your email or username.`;
  if (!values.password) fields.password = t`Enter your password.`;
  return { fields, message: null };
}

export type RegisterField = "email" | "username" | "displayName" | "password";
export const REGISTER_FIELDS: readonly RegisterField[] = ["email", "username", "displayName", "password"];

export interface RegisterValues {
  email: string;
  username: string;
  displayName: string;
  password: string;
}

export function validateRegistration(values: RegisterValues): FormErrors<RegisterField> {
  const fields: FormErrors<RegisterField>["fields"] = {};
  if (!values.email) fields.email = t`Enter your email address.`;
  if (!values.username) fields.username = t`Choose a username.`;
  else if (values.username.length < MIN_USERNAME_LENGTH) {
    fields.username = t`Username must be at least ${MIN_USERNAME_LENGTH} characters.`;
  }
  if (values.password.length < MIN_PASSWORD_LENGTH) {
    fields.password = t`Password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  }
  return { fields, message: null };
}

/** A submitted text value; passwords keep their spaces, everything else is trimmed. */
export function formText(form: FormData, name: string, trim = true): string {
  const value = form.get(name);
  if (typeof value !== "string") return "";
  return trim ? value.trim() : value;
}
