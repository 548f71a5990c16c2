import type {
  OrderDirection,
  PaymentFilter,
  PaymentOrder,
  PaymentOrderField,
  PaymentScheme,
  PaymentState,
} from "../../graphql/generated/graphql";
import { pageArgsOf, paramsOfView, rangeInto, type ViewProblem, type ViewSpec, viewOf } from "../history/listParams";

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

/** The payment history's view in the URL: `state` and `scheme` repeated, typed values, then order and page size. */
export const PAYMENT_VIEW_SPEC: ViewSpec<PaymentView> = {
  defaults: DEFAULT_PAYMENT_VIEW,
  lists: [
    { key: "states", param: "state", allowed: PAYMENT_STATES },
    { key: "schemes", param: "scheme", allowed: PAYMENT_SCHEMES },
  ],
  text: ["token", "payer", "payee", "facilitator", "from", "to", "after"],
  orderFields: PAYMENT_ORDER_FIELDS,
  pageSizes: PAYMENT_PAGE_SIZES,
};

/** Reads the payment history's view from the URL's query string; unknown values fall back to the defaults. */
export const paymentViewOf = (params: URLSearchParams): PaymentView => viewOf(PAYMENT_VIEW_SPEC, params);

/** The query string of a view, defaults left out so URLs stay short. */
export const paramsOfPaymentView = (view: PaymentView): URLSearchParams => paramsOfView(PAYMENT_VIEW_SPEC, view);

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
  return { where, orderBy: { field: view.sort, direction: view.direction }, ...pageArgsOf(view), problems };
}
