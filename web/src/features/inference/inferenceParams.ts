import type { InferenceFilter, InferenceState, LinkKind, OrderDirection } from "../../graphql/generated/graphql";
import { listParamOf, rangeInto, type ViewProblem } from "../history/listParams";

/** Rows per page of the inference history, and the sizes a reader may pick (the API allows up to 1000 a page). */
export const INFERENCE_PAGE_SIZES = [25, 50, 100] as const;

export const INFERENCE_STATES: readonly InferenceState[] = ["proven", "invalid_proof", "unofficial"];
export const LINK_KINDS: readonly LinkKind[] = ["exact", "session", "none"];

/** The inference history's state, all of it in the URL so a view can be shared. */
export type InferenceView = {
  states: InferenceState[];
  /** Tied to a payment this way; empty for any. */
  linkKind: LinkKind | "";
  teeId: string;
  /** Counting settlement posted on or after this day (YYYY-MM-DD, UTC) or instant (ISO 8601). */
  from: string;
  /** … on or before this day, or before this instant. */
  to: string;
  direction: OrderDirection;
  size: number;
  after: string;
};

export const DEFAULT_INFERENCE_VIEW: InferenceView = {
  states: [],
  linkKind: "",
  teeId: "",
  from: "",
  to: "",
  direction: "DESC",
  size: INFERENCE_PAGE_SIZES[0],
  after: "",
};

const TEXT_KEYS = ["teeId", "from", "to", "after"] as const;

/** Reads the inference history's view from the URL's query string; unknown values fall back to the defaults. */
export function inferenceViewOf(params: URLSearchParams): InferenceView {
  const view: InferenceView = { ...DEFAULT_INFERENCE_VIEW, states: [] };
  for (const key of TEXT_KEYS) view[key] = params.get(key)?.trim() ?? "";
  view.states = listParamOf(params, "state", INFERENCE_STATES);
  const link = params.get("link");
  if (link && (LINK_KINDS as string[]).includes(link)) view.linkKind = link as LinkKind;
  if (params.get("direction") === "ASC") view.direction = "ASC";
  const size = Number(params.get("size"));
  if ((INFERENCE_PAGE_SIZES as readonly number[]).includes(size)) view.size = size;
  return view;
}

/** The query string of a view, defaults left out so URLs stay short. */
export function paramsOfInferenceView(view: InferenceView): URLSearchParams {
  const params = new URLSearchParams();
  for (const state of view.states) params.append("state", state);
  if (view.linkKind) params.set("link", view.linkKind);
  for (const key of TEXT_KEYS) if (view[key]) params.set(key, view[key]);
  if (view.direction !== DEFAULT_INFERENCE_VIEW.direction) params.set("direction", view.direction);
  if (view.size !== DEFAULT_INFERENCE_VIEW.size) params.set("size", String(view.size));
  return params;
}

/** A problem with one field of the view, said as a sentence that quotes the value. */
export type InferenceViewProblem = ViewProblem<InferenceView>;

/**
 * The `inferences` arguments of a view, and what could not be read. A TEE id goes to the API as typed: it answers a
 * malformed one with a sentence quoting it, which the page shows.
 */
export function inferencesArgsOf(view: InferenceView): {
  where: InferenceFilter;
  direction: OrderDirection;
  first: number;
  after: string | null;
  problems: InferenceViewProblem[];
} {
  const problems: InferenceViewProblem[] = [];
  const where: InferenceFilter = {};
  if (view.states.length > 0) where.states = view.states;
  if (view.linkKind) where.linkKind = view.linkKind;
  if (view.teeId) where.teeId = view.teeId;
  rangeInto(view, where, problems);
  return { where, direction: view.direction, first: view.size, after: view.after || null, problems };
}
