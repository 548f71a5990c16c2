import type { InferenceFilter, InferenceState, LinkKind, OrderDirection } from "../../graphql/generated/graphql";
import { pageArgsOf, paramsOfView, rangeInto, type ViewProblem, type ViewSpec, viewOf } from "../history/listParams";

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

/** The inference history's view in the URL: `state` repeated, `link`, typed values, then direction and page size. */
export const INFERENCE_VIEW_SPEC: ViewSpec<InferenceView> = {
  defaults: DEFAULT_INFERENCE_VIEW,
  lists: [{ key: "states", param: "state", allowed: INFERENCE_STATES }],
  choices: [{ key: "linkKind", param: "link", allowed: LINK_KINDS }],
  text: ["teeId", "from", "to", "after"],
  pageSizes: INFERENCE_PAGE_SIZES,
};

/** Reads the inference history's view from the URL's query string; unknown values fall back to the defaults. */
export const inferenceViewOf = (params: URLSearchParams): InferenceView => viewOf(INFERENCE_VIEW_SPEC, params);

/** The query string of a view, defaults left out so URLs stay short. */
export const paramsOfInferenceView = (view: InferenceView): URLSearchParams => paramsOfView(INFERENCE_VIEW_SPEC, view);

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
  return { where, direction: view.direction, ...pageArgsOf(view), problems };
}
