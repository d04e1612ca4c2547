/** One page of a list, with what a pager needs to draw itself. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
  pages: number;
}

export function toPage<T>(items: T[], total: number, query: { page: number; size: number }): Page<T> {
  return {
    items,
    total,
    page: query.page,
    size: query.size,
    pages: Math.max(1, Math.ceil(total / query.size)),
  };
}

/** An ILIKE pattern matching `text` anywhere, with LIKE's wildcards in it taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
