import { describe, expect, inject, test } from "vitest";
import { data } from "./client";
import type { Host } from "./environment";

const { hosts } = inject("api");

type Page = { receipts: { totalCount: number; nodes: { id: string; reasons: unknown }[] } };

/** RFC 4180 rows: quoted cells may hold commas, quotes (doubled) and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (quoted || (ch !== "," && ch !== "\n")) {
      cell += ch;
    } else {
      row.push(cell);
      cell = "";
      if (ch === "\n") {
        rows.push(row);
        row = [];
      }
    }
  }
  return rows;
}

describe.each(hosts)("$name", (host: Host) => {
  const get = (path: string) => fetch(`${host.url}${path}`);

  test("default: receipts.csv with the receipts filters, one row per receipt, reasons as JSON", async () => {
    const response = await get("/export/receipts.csv?states=unpaid,underpaid");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const [header, ...rows] = parseCsv(await response.text());
    expect(header!.join(",")).toMatchInlineSnapshot(
      `"id,state,paymentId,inferenceId,amount,paidAmount,payer,payee,facilitator,teeId,paidAt,settledAt,latencySeconds,settlementKind,settlementTxHash,merkleRoot,leafIndex,checkPayment,checkInclusion,checkAttestation,checkProvenance,checkUniqueness,reasons"`,
    );
    const { receipts } = await data<Page>(
      host,
      `{ receipts(where: { states: [unpaid, underpaid] }, first: 1000, orderBy: { field: SETTLED_AT, direction: ASC }) {
        totalCount nodes { id reasons { check reason } } } }`,
    );
    expect(rows.map((r) => r[0])).toEqual(receipts.nodes.map((r) => r.id));
    const reasons = header!.indexOf("reasons");
    expect(rows.map((r) => JSON.parse(r[reasons]!))).toEqual(receipts.nodes.map((r) => r.reasons));
    expect(new Set(rows.map((r) => r[header!.indexOf("state")]))).toEqual(new Set(["unpaid", "underpaid"]));
  });

  test("default: receipts.jsonl streams every receipt, across chunks, in the asked order", async () => {
    const all = await get("/export/receipts.jsonl");
    expect(all.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    const lines = (await all.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; payer: string | null });
    const { receipts } = await data<Page>(
      host,
      `{ receipts(first: 1000, orderBy: { field: SETTLED_AT, direction: ASC }) { totalCount nodes { id } } }`,
    );
    expect(lines.length).toBeGreaterThan(500); // more than one chunk
    expect(lines.map((l) => l.id)).toEqual(receipts.nodes.map((r) => r.id));

    const payer = lines.find((l) => l.payer)!.payer!;
    const byAmount = await get(`/export/receipts.jsonl?payer=${payer}&order=amount:desc`);
    const { receipts: expected } = await data<Page>(
      host,
      `query($p: String) { receipts(where: { payer: $p }, orderBy: { field: AMOUNT, direction: DESC }, first: 1000) { nodes { id } } }`,
      { p: payer },
    );
    const got = (await byAmount.text())
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(got).toEqual(expected.nodes.map((r) => r.id));
  });

  test("default: payments.jsonl on this host is the payments connection, with token units and linked inference counts", async () => {
    type PaymentPage = {
      payments: {
        nodes: { id: string; amount: string; asset: { decimals: number | null }; inferences: { kind: string }[] }[];
      };
    };
    const lines = (await (await get("/export/payments.jsonl?order=PAID_AT:ASC")).text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; tokenAmount: string | null; inferenceCount: number });
    const { payments } = await data<PaymentPage>(
      host,
      `{ payments(first: 1000, orderBy: { field: PAID_AT, direction: ASC }) {
        nodes { id amount asset { decimals } inferences { kind } } } }`,
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((l) => l.id)).toEqual(payments.nodes.map((p) => p.id));
    expect(lines.map((l) => l.inferenceCount)).toEqual(payments.nodes.map((p) => p.inferences.length));
    expect(lines.some((l) => l.inferenceCount > 0)).toBe(true);
    expect(lines.map((l) => l.tokenAmount)).toEqual(
      payments.nodes.map((p) => String(Number(p.amount) / 10 ** p.asset.decimals!)),
    );
  });

  test("args: a bad filter is a 400 that says why", async () => {
    const answers = await Promise.all(
      ["states=paid", "payer=0x12", "from=yesterday", "minAmount=1.5", "order=fee:up"].map(async (q) => {
        const response = await get(`/export/receipts.csv?${q}`);
        return `${response.status} ${JSON.stringify(await response.json())}`;
      }),
    );
    expect(answers).toMatchInlineSnapshot(`
      [
        "400 {"error":{"code":"BAD_ARGUMENTS","message":"State \\"paid\\" is not one of verified, unpaid, underpaid, invalid_proof, duplicate, unofficial."}}",
        "400 {"error":{"code":"BAD_ADDRESS","message":"Payer \\"0x12\\" is not a 20-byte hex address."}}",
        "400 {"error":{"code":"BAD_TIME_RANGE","message":"Parameter from \\"yesterday\\" is not an ISO 8601 date-time, e.g. \\"2026-01-01T00:00:00Z\\"."}}",
        "400 {"error":{"code":"BAD_AMOUNT","message":"minAmount \\"1.5\\" is not a whole number of base units."}}",
        "400 {"error":{"code":"BAD_ARGUMENTS","message":"Order \\"fee:up\\" is not <field>:<direction> with a field of SETTLED_AT, PAID_AT, AMOUNT, LATENCY and ASC or DESC."}}",
      ]
    `);
  });
});
