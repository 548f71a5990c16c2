import type {
  OrderDirection,
  PaymentFilter,
  PaymentOrder,
  PaymentOrderField,
  PaymentScheme,
  PaymentState,
} from "../../graphql/generated/graphql";
import { listParamOf, rangeInto, type ViewProblem } from "../history/listParams";

/** Rows per page of the payment history, and the sizes a reader may pick (the API allows up to 1000 a page). */
export const PAYMENT_PAGE_SIZES = [25, 50, 100] as const;

export const PAYMENT_STATES: readonly PaymentState[] = ["awaiting_proof", "overdue", "proven"];
export const PAYMENT_SCHEMES: readonly PaymentScheme[] = ["eip3009", "permit2_exact", "permit2_upto"];
export const PAYMENT_ORDER_FIELDS: readonly PaymentOrderField[] = ["PAID_AT", "AMOUNT"];

/** The payment history's state, all of it in the URL so a view can be shared. */
export type PaymentView = {
  states: PaymentState[];
  schemes: PaymentScheme[];
  /** The token's address; empty for any. */
  token: string;
  payer: string;
  payee: string;
  facilitator: string;
  /** Paid on or after this day (YYYY-MM-DD, UTC) or instant (ISO 8601). */
  from: string;
  /** Paid on or before this day, or before this instant. */
  to: string;
  sort: PaymentOrderField;
  direction: OrderDirection;
  size: number;
  after: string;
};

export const DEFAULT_PAYMENT_VIEW: PaymentView = {
  states: [],
  schemes: [],
  token: "",
  payer: "",
  payee: "",
  facilitator: "",
  from: "",
  to: "",
  sort: "PAID_AT",
  direction: "DESC",
  size: PAYMENT_PAGE_SIZES[0],
  after: "",
};

const TEXT_KEYS = ["token", "payer", "payee", "facilitator", "from", "to", "after"] as const;

/** Reads the payment history's view from the URL's query string; unknown values fall back to the defaults. */
export function paymentViewOf(params: URLSearchParams): PaymentView {
  const view: PaymentView = { ...DEFAULT_PAYMENT_VIEW };
  for (const key of TEXT_KEYS) view[key] = params.get(key)?.trim() ?? "";
  view.states = listParamOf(params, "state", PAYMENT_STATES);
  view.schemes = listParamOf(params, "scheme", PAYMENT_SCHEMES);
  const sort = params.get("sort");
  if (sort && (PAYMENT_ORDER_FIELDS as string[]).includes(sort)) view.sort = sort as PaymentOrderField;
  if (params.get("direction") === "ASC") view.direction = "ASC";
  const size = Number(params.get("size"));
  if ((PAYMENT_PAGE_SIZES as readonly number[]).includes(size)) view.size = size;
  return view;
}

/** The query string of a view, defaults left out so URLs stay short. */
export function paramsOfPaymentView(view: PaymentView): URLSearchParams {
  const params = new URLSearchParams();
  for (const state of view.states) params.append("state", state);
  for (const scheme of view.schemes) params.append("scheme", scheme);
  for (const key of TEXT_KEYS) if (view[key]) params.set(key, view[key]);
  if (view.sort !== DEFAULT_PAYMENT_VIEW.sort) params.set("sort", view.sort);
  if (view.direction !== DEFAULT_PAYMENT_VIEW.direction) params.set("direction", view.direction);
  if (view.size !== DEFAULT_PAYMENT_VIEW.size) params.set("size", String(view.size));
  return params;
}

/**
 * The `payments` arguments of a view, and what could not be read. Addresses go to the API as typed: it answers a
 * malformed one with a sentence quoting it, which the page shows.
 */
export function paymentsArgsOf(view: PaymentView): {
  where: PaymentFilter;
  orderBy: PaymentOrder;
  first: number;
  after: string | null;
  problems: ViewProblem<PaymentView>[];
} {
  const problems: ViewProblem<PaymentView>[] = [];
  const where: PaymentFilter = {};
  if (view.states.length > 0) where.states = view.states;
  if (view.schemes.length > 0) where.schemes = view.schemes;
  for (const key of ["token", "payer", "payee", "facilitator"] as const) if (view[key]) where[key] = view[key];
  rangeInto(view, where, problems);
  return {
    where,
    orderBy: { field: view.sort, direction: view.direction },
    first: view.size,
    after: view.after || null,
    problems,
  };
}

/**
 * The query string of `GET /export/payments.csv` for the same filters and order as the table (all pages): the
 * `payments` filter names, lists comma-separated, `order=<field>:<direction>`.
 * @example paymentExportParamsOf({ where: { schemes: ["permit2_upto"] }, orderBy }).toString() // "schemes=permit2_upto&order=PAID_AT%3ADESC"
 */
export function paymentExportParamsOf({
  where,
  orderBy,
}: {
  where: PaymentFilter;
  orderBy: PaymentOrder;
}): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(where)) {
    if (value == null || (Array.isArray(value) && value.length === 0)) continue;
    params.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  params.set("order", `${orderBy.field}:${orderBy.direction}`);
  return params;
}
