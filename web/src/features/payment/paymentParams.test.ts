import { describe, expect, test } from "vitest";
import { exportParamsOf } from "../history/listParams";
import { formatAssetAmount } from "./assetAmount";
import { DEFAULT_PAYMENT_VIEW, paramsOfPaymentView, paymentsArgsOf, paymentViewOf } from "./paymentParams";

const OPG = "0xfbc2051ae2265686a469421b2c5a2d5462fbf5eb";

describe("paymentViewOf", () => {
  test("default: a view round-trips through its query string, defaults left out", () => {
    const view = {
      ...DEFAULT_PAYMENT_VIEW,
      states: ["overdue" as const],
      schemes: ["permit2_upto" as const, "permit2_exact" as const],
      token: OPG,
      payer: "0xabc",
      sort: "AMOUNT" as const,
      size: 50,
    };
    const params = paramsOfPaymentView(view);
    expect(params.toString()).toBe(
      `state=overdue&scheme=permit2_upto&scheme=permit2_exact&token=${OPG}&payer=0xabc&sort=AMOUNT&size=50`,
    );
    expect(paymentViewOf(params)).toEqual(view);
    expect(paramsOfPaymentView(DEFAULT_PAYMENT_VIEW).toString()).toBe("");
  });

  test("behavior: unknown states, schemes, sorts and sizes fall back to the defaults", () => {
    expect(paymentViewOf(new URLSearchParams("state=paid,proven&scheme=permit2&sort=FEE&size=7"))).toEqual({
      ...DEFAULT_PAYMENT_VIEW,
      states: ["proven"],
    });
  });
});

describe("paymentsArgsOf", () => {
  test("default: the payments filter, order and page, and the export's query string", () => {
    const { problems, ...args } = paymentsArgsOf({
      ...DEFAULT_PAYMENT_VIEW,
      schemes: ["permit2_upto"],
      token: OPG,
      from: "2026-01-01",
      to: "2026-01-02",
    });
    expect(problems).toEqual([]);
    expect(args).toEqual({
      where: {
        schemes: ["permit2_upto"],
        token: OPG,
        from: "2026-01-01T00:00:00.000Z",
        to: "2026-01-03T00:00:00.000Z",
      },
      orderBy: { field: "PAID_AT", direction: "DESC" },
      first: 25,
      after: null,
    });
    expect(exportParamsOf(args).toString()).toBe(
      `schemes=permit2_upto&token=${OPG}&from=2026-01-01T00%3A00%3A00.000Z&to=2026-01-03T00%3A00%3A00.000Z&order=PAID_AT%3ADESC`,
    );
  });

  test("args: a day that is not one is a problem quoting it, and is not sent", () => {
    const { problems, where } = paymentsArgsOf({ ...DEFAULT_PAYMENT_VIEW, from: "yesterday" });
    expect(where).toEqual({});
    expect(problems).toMatchInlineSnapshot(`
      [
        {
          "field": "from",
          "message": ""yesterday" is not a day (YYYY-MM-DD) or an ISO 8601 instant with a time zone.",
        },
      ]
    `);
  });
});

describe("formatAssetAmount", () => {
  test("default: in the token's units with its symbol; base units when its decimals are unknown", () => {
    expect([
      formatAssetAmount("30000000000000000", { symbol: "OPG", decimals: 18 }),
      formatAssetAmount("1234500000", { symbol: "USDC", decimals: 6 }),
      formatAssetAmount("42", { symbol: null, decimals: null }),
      formatAssetAmount(null, { symbol: "OPG", decimals: 18 }),
    ]).toEqual(["0.03 OPG", "1,234.5 USDC", "42 units", "—"]);
  });
});
