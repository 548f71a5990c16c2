import { describe, expect, test } from "vitest";
import { DEFAULT_HISTORY_VIEW, historyViewOf, paramsOfHistoryView, receiptsArgsOf } from "./historyParams";
import { exportParamsOf } from "./listParams";

const PAYER = `0x${"ab".repeat(20)}`;

describe("historyViewOf", () => {
  test("default: an empty query string is the default view", () => {
    expect(historyViewOf(new URLSearchParams())).toEqual(DEFAULT_HISTORY_VIEW);
  });

  test("behavior: round-trips through the URL", () => {
    const view = {
      ...DEFAULT_HISTORY_VIEW,
      states: ["verified" as const, "invalid_proof" as const],
      from: "2026-01-01",
      payer: PAYER,
      minAmount: "0.5",
      sort: "AMOUNT" as const,
      direction: "ASC" as const,
      size: 50,
      after: "cursor1",
    };
    const params = paramsOfHistoryView(view);
    expect(params.toString()).toBe(
      `state=verified&state=invalid_proof&from=2026-01-01&payer=${PAYER}&minAmount=0.5&after=cursor1&sort=AMOUNT&direction=ASC&size=50`,
    );
    expect(historyViewOf(params)).toEqual(view);
  });

  test("args: unknown states, sorts and sizes are dropped", () => {
    const view = historyViewOf(new URLSearchParams("state=verified,bogus&sort=NAME&size=7&direction=UP"));
    expect(view.states).toEqual(["verified"]);
    expect([view.sort, view.direction, view.size]).toEqual(["SETTLED_AT", "DESC", 25]);
  });
});

describe("receiptsArgsOf", () => {
  test("default", () => {
    expect(receiptsArgsOf(DEFAULT_HISTORY_VIEW)).toEqual({
      where: {},
      orderBy: { field: "SETTLED_AT", direction: "DESC" },
      first: 25,
      after: null,
      problems: [],
    });
  });

  test("behavior: days are UTC, `to` includes its day, amounts are USDC", () => {
    const { where, problems } = receiptsArgsOf({
      ...DEFAULT_HISTORY_VIEW,
      from: "2026-01-01",
      to: "2026-01-31",
      minAmount: "1.5",
      maxAmount: "2",
      payer: PAYER,
    });
    expect(problems).toEqual([]);
    expect(where).toEqual({
      from: "2026-01-01T00:00:00.000Z",
      to: "2026-02-01T00:00:00.000Z",
      minAmount: "1500000",
      maxAmount: "2000000",
      payer: PAYER,
    });
  });

  test("args: unreadable dates and amounts are problems, quoted", () => {
    const { where, problems } = receiptsArgsOf({
      ...DEFAULT_HISTORY_VIEW,
      from: "yesterday",
      minAmount: "1.1234567",
    });
    expect(where).toEqual({});
    expect(problems).toMatchInlineSnapshot(`
      [
        {
          "field": "from",
          "message": ""yesterday" is not a day (YYYY-MM-DD) or an ISO 8601 instant with a time zone.",
        },
        {
          "field": "minAmount",
          "message": ""1.1234567" is not an amount in USDC (e.g. 1.5, at most 6 decimals).",
        },
      ]
    `);
  });
});

test("exportParamsOf: the same filters and order, states comma-separated", () => {
  const params = exportParamsOf({
    where: { states: ["verified", "duplicate"], payer: PAYER, minAmount: "1500000" },
    orderBy: { field: "AMOUNT", direction: "ASC" },
  });
  expect(params.toString()).toBe(`states=verified%2Cduplicate&payer=${PAYER}&minAmount=1500000&order=AMOUNT%3AASC`);
});
