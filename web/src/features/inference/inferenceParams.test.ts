import { describe, expect, test } from "vitest";
import { DEFAULT_INFERENCE_VIEW, inferencesArgsOf, inferenceViewOf, paramsOfInferenceView } from "./inferenceParams";

const TEE = `0x${"ab".repeat(32)}`;

describe("inferenceViewOf", () => {
  test("default: an empty query string is the default view", () => {
    expect(inferenceViewOf(new URLSearchParams())).toEqual(DEFAULT_INFERENCE_VIEW);
  });

  test("behavior: round-trips through the URL", () => {
    const view = {
      ...DEFAULT_INFERENCE_VIEW,
      states: ["proven" as const, "unofficial" as const],
      linkKind: "session" as const,
      teeId: TEE,
      from: "2026-04-01",
      direction: "ASC" as const,
      size: 50,
      after: "cursor1",
    };
    const params = paramsOfInferenceView(view);
    expect(params.toString()).toBe(
      `state=proven&state=unofficial&link=session&teeId=${TEE}&from=2026-04-01&after=cursor1&direction=ASC&size=50`,
    );
    expect(inferenceViewOf(params)).toEqual(view);
  });

  test("args: unknown states, link kinds and sizes are dropped", () => {
    const view = inferenceViewOf(new URLSearchParams("state=proven,duplicate&link=maybe&size=7"));
    expect(view.states).toEqual(["proven"]);
    expect([view.linkKind, view.size]).toEqual(["", 25]);
  });
});

describe("inferencesArgsOf", () => {
  test("default", () => {
    expect(inferencesArgsOf(DEFAULT_INFERENCE_VIEW)).toEqual({
      where: {},
      direction: "DESC",
      first: 25,
      after: null,
      problems: [],
    });
  });

  test("behavior: every filter, days in UTC, `to` including its day", () => {
    const { where, problems } = inferencesArgsOf({
      ...DEFAULT_INFERENCE_VIEW,
      states: ["invalid_proof"],
      linkKind: "none",
      teeId: TEE,
      from: "2026-04-01",
      to: "2026-04-30",
    });
    expect(problems).toEqual([]);
    expect(where).toEqual({
      states: ["invalid_proof"],
      linkKind: "none",
      teeId: TEE,
      from: "2026-04-01T00:00:00.000Z",
      to: "2026-05-01T00:00:00.000Z",
    });
  });

  test("args: an unreadable date is a problem, quoted", () => {
    expect(inferencesArgsOf({ ...DEFAULT_INFERENCE_VIEW, to: "soon" }).problems).toMatchInlineSnapshot(`
      [
        {
          "field": "to",
          "message": ""soon" is not a day (YYYY-MM-DD) or an ISO 8601 instant with a time zone.",
        },
      ]
    `);
  });
});
