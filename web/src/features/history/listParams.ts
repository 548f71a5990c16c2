/** What every history view has: its page size and the cursor of its page (empty for the first). */
export type ListView = { size: number; after: string };

/** A problem with one field of a view, said as a sentence that quotes the value. */
export type ViewProblem<V = Record<string, unknown>> = { field: keyof V & string; message: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A day or instant as the API's DateTime; a `to` day (`end`) means "through the end of that day". Null when the
 * value is neither a day nor an instant with a time zone.
 * @example instantOf("2026-01-02", true) // "2026-01-03T00:00:00.000Z"
 */
export function instantOf(value: string, end: boolean): string | null {
  if (DAY.test(value)) {
    const start = Date.parse(`${value}T00:00:00Z`);
    if (Number.isNaN(start)) return null;
    return new Date(start + (end ? 86_400_000 : 0)).toISOString();
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) || !/[zZ]|[+-]\d{2}:\d{2}$/.test(value) ? null : new Date(ms).toISOString();
}

/**
 * Reads a view's `from` and `to` into `where` as instants; what could not be read goes to `problems` instead.
 * @example const where = {}; rangeInto({ from: "2026-01-01", to: "" }, where, problems) // where.from = "2026-01-01T00:00:00.000Z"
 */
export function rangeInto<V extends { from: string; to: string }>(
  view: V,
  where: { from?: string | null; to?: string | null },
  problems: ViewProblem<V>[],
) {
  for (const [key, end] of [
    ["from", false],
    ["to", true],
  ] as const) {
    if (!view[key]) continue;
    const instant = instantOf(view[key], end);
    if (instant) where[key] = instant;
    else
      problems.push({
        field: key,
        message: `"${view[key]}" is not a day (YYYY-MM-DD) or an ISO 8601 instant with a time zone.`,
      });
  }
}

/** The values of a repeated or comma-separated query parameter that are among `allowed`. */
export const listParamOf = <T extends string>(params: URLSearchParams, name: string, allowed: readonly T[]): T[] =>
  params
    .getAll(name)
    .flatMap((s) => s.split(","))
    .filter((s): s is T => (allowed as readonly string[]).includes(s));
