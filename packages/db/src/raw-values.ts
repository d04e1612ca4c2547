/**
 * Raw SQL results (em.execute) carry timestamps as strings: MikroORM has the driver leave dates
 * unparsed so that it can hydrate entities itself. These turn them into Dates at the boundary.
 */
export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toNullableDate(value: Date | string | null | undefined): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}
