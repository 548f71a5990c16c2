import type { InferenceFilter, InferenceState, LinkKind, OrderDirection } from "../../graphql/generated/graphql";

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
  view.states = params
    .getAll("state")
    .flatMap((s) => s.split(","))
    .filter((s): s is InferenceState => (INFERENCE_STATES as string[]).includes(s));
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
export type InferenceViewProblem = { field: keyof InferenceView; message: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A day or instant as the API's DateTime; a `to` day means "through the end of that day". */
function instantOf(value: string, end: boolean): string | null {
  if (DAY.test(value)) {
    const start = Date.parse(`${value}T00:00:00Z`);
    if (Number.isNaN(start)) return null;
    return new Date(start + (end ? 86_400_000 : 0)).toISOString();
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) || !/[zZ]|[+-]\d{2}:\d{2}$/.test(value) ? null : new Date(ms).toISOString();
}

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
  return { where, direction: view.direction, first: view.size, after: view.after || null, problems };
}
