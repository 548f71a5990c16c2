import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  askOf,
  BOB,
  OPG,
  PAYMENTS,
  type PaymentFixture,
  paymentIdOf,
  startPaymentFixture,
} from "../test/paymentFixture";
import { type ExportTrailer, tokenAmountOf } from "./export";

let fixture: PaymentFixture;
const get = (path: string) => fixture.app.request(path);

/** An export's rows as objects (CSV parsed by its header; the seeded values hold no comma or quote). */
async function csvOf(response: Response) {
  const [header, ...lines] = (await response.text()).trimEnd().split("\n");
  const columns = header!.split(",");
  return {
    columns,
    rows: lines.map((line) => Object.fromEntries(line.split(",").map((cell, i) => [columns[i], cell]))),
  };
}
const jsonlOf = async (response: Response) =>
  (await response.text())
    .trimEnd()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  fixture = await startPaymentFixture();
}, 60_000);
afterAll(() => fixture?.stop());

describe("/export/payments.*", () => {
  test("default: payments.csv, oldest first, amounts in base and token units, state at chain time, links counted", async () => {
    const response = await get("/export/payments.csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="payments.csv"');
    const { columns, rows } = await csvOf(response);
    expect(columns.join(",")).toMatchInlineSnapshot(
      `"id,scheme,token,symbol,decimals,amount,tokenAmount,maxAmount,nonce,payer,payee,facilitator,paidAt,state,txHash,inferenceCount"`,
    );
    const seeded = [...PAYMENTS].sort((a, b) => Number(a.at - b.at));
    expect(rows.map((r) => r.id)).toEqual(seeded.map((p) => paymentIdOf(p.n)));
    expect(rows.map((r) => r.inferenceCount)).toEqual(seeded.map((p) => String(p.inferences ?? 0)));
    expect(
      rows.map((r) => `${r.scheme} ${r.symbol} ${r.decimals} ${r.amount} ${r.tokenAmount} ${r.maxAmount} ${r.state}`),
    ).toMatchInlineSnapshot(`
        [
          "eip3009 USDC 6 9000000 9  overdue",
          "eip3009 USDC 6 1500000 1.5  proven",
          "eip3009 USDC 6 2000000 2  overdue",
          "permit2_upto OPG 18 30000000000000000 0.03 100000000000000000 proven",
          "permit2_exact OPG 18 1000000000000000000 1  overdue",
          "permit2_upto OPG 18 50000000000000000 0.05 100000000000000000 overdue",
          "permit2_exact   42   overdue",
          "permit2_upto OPG 18 0 0 100000000000000000 awaiting_proof",
        ]
      `);
  });

  test("behavior: the filters of payments (scheme, token, states, payer) as query parameters; JSONL as the connection", async () => {
    const query = `schemes=permit2_upto,permit2_exact&token=${OPG}&states=overdue,awaiting_proof`;
    const lines = await jsonlOf(await get(`/export/payments.jsonl?${query}&order=AMOUNT:DESC`));
    const { payments } = await askOf<{ payments: { nodes: { id: string }[] } }>(
      fixture.app,
      `{ payments(where: { schemes: [permit2_upto, permit2_exact], token: "${OPG}", states: [overdue, awaiting_proof] },
        orderBy: { field: AMOUNT, direction: DESC }, first: 100) { nodes { id } } }`,
    );
    expect(lines.map((l) => l.id)).toEqual(payments.nodes.map((p) => p.id));
    expect(lines.map((l) => `${l.scheme} ${l.tokenAmount} ${l.state}`)).toMatchInlineSnapshot(`
      [
        "permit2_exact 1 overdue",
        "permit2_upto 0.05 overdue",
        "permit2_upto 0 awaiting_proof",
      ]
    `);
    expect(lines.every((l) => l.decimals === 18 && l.symbol === "OPG")).toBe(true);

    const byPayer = await jsonlOf(await get(`/export/payments.jsonl?payer=${BOB}&schemes=eip3009`));
    expect(byPayer.map((l) => l.id)).toEqual(
      PAYMENTS.filter((p) => p.payer === BOB && p.scheme === "eip3009").map((p) => paymentIdOf(p.n)),
    );
  });

  test("behavior: limit stops the export with a ROW_LIMIT trailer naming payments, and after continues it", async () => {
    const first = await jsonlOf(await get("/export/payments.jsonl?limit=3"));
    const trailer = first.at(-1) as ExportTrailer;
    expect(first.slice(0, -1)).toHaveLength(3);
    expect(trailer.truncated.message).toMatchInlineSnapshot(
      `"The export stopped at its limit of 3 rows and more payments match; repeat the request with "after" from this line to continue."`,
    );
    const rest = await jsonlOf(await get(`/export/payments.jsonl?after=${trailer.truncated.after}`));
    const all = await jsonlOf(await get("/export/payments.jsonl"));
    expect([...first.slice(0, -1), ...rest].map((l) => l.id)).toEqual(all.map((l) => l.id));
    expect(all).toHaveLength(PAYMENTS.length);
  });

  test("args: a bad filter is a 400 that says why", async () => {
    const answers = await Promise.all(
      ["states=verified", "schemes=permit2", "token=0x12", "from=yesterday", "order=settled_at:asc"].map(async (q) => {
        const response = await get(`/export/payments.csv?${q}`);
        return `${response.status} ${JSON.stringify(await response.json())}`;
      }),
    );
    expect(answers).toMatchInlineSnapshot(`
      [
        "400 {"error":{"code":"BAD_ARGUMENTS","message":"State \\"verified\\" is not one of awaiting_proof, overdue, proven."}}",
        "400 {"error":{"code":"BAD_ARGUMENTS","message":"Scheme \\"permit2\\" is not one of eip3009, permit2_exact, permit2_upto."}}",
        "400 {"error":{"code":"BAD_ADDRESS","message":"Token \\"0x12\\" is not a 20-byte hex address."}}",
        "400 {"error":{"code":"BAD_TIME_RANGE","message":"Parameter from \\"yesterday\\" is not an ISO 8601 date-time, e.g. \\"2026-01-01T00:00:00Z\\"."}}",
        "400 {"error":{"code":"BAD_ARGUMENTS","message":"Order \\"settled_at:asc\\" is not <field>:<direction> with a field of PAID_AT, AMOUNT and ASC or DESC."}}",
      ]
    `);
  });
});

describe("tokenAmountOf", () => {
  test("default", () => {
    expect([
      tokenAmountOf(1_500_000n, 6),
      tokenAmountOf(30_000_000_000_000_000n, 18),
      tokenAmountOf(0n, 18),
      tokenAmountOf(42n, 0),
      tokenAmountOf(10n ** 18n, 18),
    ]).toEqual(["1.5", "0.03", "0", "42", "1"]);
  });
});
