const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value from the URL is an id at all (anything else is not sent to the API). */
export function isUuid(value: string | null | undefined): value is string {
  return !!value && UUID.test(value);
}
