import type { OrderDirection } from "../../graphql/generated/graphql";

/** What every history view has: its order's direction, its page size and the cursor of its page (empty for the first). */
export type ListView = { direction: OrderDirection; size: number; after: string };

/** A field of a view kept in its own query parameter, with the values it may take. */
export type ParamSpec<V> = { key: keyof V & string; param: string; allowed: readonly string[] };

/**
 * How a history's view is written in its URL, all of it so a view can be shared: parameters come in this order,
 * lists, choices, text, `sort`, `direction`, `size`; values at their default are left out so URLs stay short.
 */
export type ViewSpec<V extends ListView> = {
  defaults: V;
  /** Fields of several values, each a repeated (or comma-separated) parameter; values not allowed are dropped. */
  lists?: readonly ParamSpec<V>[];
  /** Fields of one value among the allowed, else the default. */
  choices?: readonly ParamSpec<V>[];
  /** Fields read as typed (trimmed), each in the parameter of its name. */
  text: readonly (keyof V & string)[];
  /** The fields the view's `sort` may name; none when the list has one order, only its direction. */
  orderFields?: readonly string[];
  /** Page sizes a reader may pick. */
  pageSizes: readonly number[];
};

/**
 * Reads a view from the URL's query string; unknown values fall back to the defaults.
 * @example viewOf(HISTORY_VIEW_SPEC, new URLSearchParams("state=verified&size=7")) // { ...defaults, states: ["verified"] }
 */
export function viewOf<V extends ListView>(spec: ViewSpec<V>, params: URLSearchParams): V {
  const view: Record<string, unknown> = { ...spec.defaults };
  for (const { key, param, allowed } of spec.lists ?? []) view[key] = listParamOf(params, param, allowed);
  for (const { key, param, allowed } of spec.choices ?? []) {
    const value = params.get(param);
    if (value && allowed.includes(value)) view[key] = value;
  }
  for (const key of spec.text) view[key] = params.get(key)?.trim() ?? "";
  const sort = params.get("sort");
  if (sort && spec.orderFields?.includes(sort)) view.sort = sort;
  const direction = params.get("direction");
  if (direction === "ASC" || direction === "DESC") view.direction = direction;
  const size = Number(params.get("size"));
  if (spec.pageSizes.includes(size)) view.size = size;
  return view as V;
}

/** The query string of a view, defaults left out so URLs stay short. */
export function paramsOfView<V extends ListView>(spec: ViewSpec<V>, view: V): URLSearchParams {
  const params = new URLSearchParams();
  const fields = view as Record<string, unknown>;
  const defaults = spec.defaults as Record<string, unknown>;
  for (const { key, param } of spec.lists ?? []) for (const value of view[key] as string[]) params.append(param, value);
  for (const { key, param } of spec.choices ?? [])
    if (view[key] !== spec.defaults[key]) params.set(param, String(view[key]));
  for (const key of spec.text) if (view[key]) params.set(key, String(view[key]));
  if (spec.orderFields && fields.sort !== defaults.sort) params.set("sort", String(fields.sort));
  if (view.direction !== spec.defaults.direction) params.set("direction", view.direction);
  if (view.size !== spec.defaults.size) params.set("size", String(view.size));
  return params;
}

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

/** The paging arguments of a view: its page size, and its cursor (null on the first page). */
export const pageArgsOf = (view: ListView): { first: number; after: string | null } => ({
  first: view.size,
  after: view.after || null,
});

/** The values of a repeated or comma-separated query parameter that are among `allowed`. */
export const listParamOf = <T extends string>(params: URLSearchParams, name: string, allowed: readonly T[]): T[] =>
  params
    .getAll(name)
    .flatMap((s) => s.split(","))
    .filter((s): s is T => (allowed as readonly string[]).includes(s));

/**
 * The query string of an export (`GET /export/<entity>.csv`) for the same filters and order as the table (all
 * pages): the query's filter names, lists comma-separated, `order=<field>:<direction>`.
 * @example exportParamsOf({ where: { schemes: ["permit2_upto"] }, orderBy }).toString() // "schemes=permit2_upto&order=PAID_AT%3ADESC"
 */
export function exportParamsOf({
  where,
  orderBy,
}: {
  where: object;
  orderBy: { field: string; direction: OrderDirection };
}): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(where)) {
    if (value == null || (Array.isArray(value) && value.length === 0)) continue;
    params.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  params.set("order", `${orderBy.field}:${orderBy.direction}`);
  return params;
}
