import { USDC_DECIMALS } from "@settlescan/abis";
import { parseUnits } from "viem";
import type {
  OrderDirection,
  ReceiptFilter,
  ReceiptOrder,
  ReceiptOrderField,
  ReceiptState,
} from "../../graphql/generated/graphql";
import {
  type ViewProblem as ListViewProblem,
  pageArgsOf,
  paramsOfView,
  rangeInto,
  type ViewSpec,
  viewOf,
} from "./listParams";

/** Rows per history page; the API allows up to 1000 (issue 5), a screen shows about this many. */
export const HISTORY_PAGE_SIZE = 25;
/** Page sizes a reader may pick. */
export const HISTORY_PAGE_SIZES = [25, 50, 100] as const;

export const RECEIPT_STATES: readonly ReceiptState[] = [
  "verified",
  "unpaid",
  "underpaid",
  "invalid_proof",
  "duplicate",
  "unofficial",
];
export const ORDER_FIELDS: readonly ReceiptOrderField[] = ["SETTLED_AT", "PAID_AT", "AMOUNT", "LATENCY"];

/** The history table's state, all of it in the URL so a view can be shared. */
export type HistoryView = {
  states: ReceiptState[];
  /** Settled on or after this day (YYYY-MM-DD, UTC) or instant (ISO 8601). */
  from: string;
  /** Settled on or before this day, or before this instant. */
  to: string;
  payer: string;
  payee: string;
  facilitator: string;
  teeId: string;
  /** Amounts in USDC as a person types them ("1.5"). */
  minAmount: string;
  maxAmount: string;
  sort: ReceiptOrderField;
  direction: OrderDirection;
  size: number;
  after: string;
};

export const DEFAULT_HISTORY_VIEW: HistoryView = {
  states: [],
  from: "",
  to: "",
  payer: "",
  payee: "",
  facilitator: "",
  teeId: "",
  minAmount: "",
  maxAmount: "",
  sort: "SETTLED_AT",
  direction: "DESC",
  size: HISTORY_PAGE_SIZE,
  after: "",
};

/** The history view in the URL: `state` repeated, typed values by their names, then the order and the page size. */
export const HISTORY_VIEW_SPEC: ViewSpec<HistoryView> = {
  defaults: DEFAULT_HISTORY_VIEW,
  lists: [{ key: "states", param: "state", allowed: RECEIPT_STATES }],
  text: ["from", "to", "payer", "payee", "facilitator", "teeId", "minAmount", "maxAmount", "after"],
  orderFields: ORDER_FIELDS,
  pageSizes: HISTORY_PAGE_SIZES,
};

/** Reads the history view from the URL's query string; unknown values fall back to the defaults. */
export const historyViewOf = (params: URLSearchParams): HistoryView => viewOf(HISTORY_VIEW_SPEC, params);

/** The query string of a history view, defaults left out so URLs stay short. */
export const paramsOfHistoryView = (view: HistoryView): URLSearchParams => paramsOfView(HISTORY_VIEW_SPEC, view);

/** A problem with one field of the view, said as a sentence that quotes the value. */
export type ViewProblem = ListViewProblem<HistoryView>;

/** USDC as typed ("1.5") to base units ("1500000"). */
function unitsOf(value: string): string | null {
  if (!/^\d+(\.\d+)?$/.test(value)) return null;
  const [, fraction = ""] = value.split(".");
  if (fraction.length > USDC_DECIMALS) return null;
  return parseUnits(value, USDC_DECIMALS).toString();
}

/**
 * The `receipts` arguments of a history view, and what could not be read. Addresses and ids go to the API as
 * typed: it answers a malformed one with a sentence quoting it, which the page shows.
 */
export function receiptsArgsOf(view: HistoryView): {
  where: ReceiptFilter;
  orderBy: ReceiptOrder;
  first: number;
  after: string | null;
  problems: ViewProblem[];
} {
  const problems: ViewProblem[] = [];
  const where: ReceiptFilter = {};
  if (view.states.length > 0) where.states = view.states;
  rangeInto(view, where, problems);
  for (const key of ["payer", "payee", "facilitator", "teeId"] as const) if (view[key]) where[key] = view[key];
  for (const key of ["minAmount", "maxAmount"] as const) {
    if (!view[key]) continue;
    const units = unitsOf(view[key]);
    if (units) where[key] = units;
    else
      problems.push({
        field: key,
        message: `"${view[key]}" is not an amount in USDC (e.g. 1.5, at most ${USDC_DECIMALS} decimals).`,
      });
  }
  return { where, orderBy: { field: view.sort, direction: view.direction }, ...pageArgsOf(view), problems };
}
