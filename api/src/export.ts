import { and, eq, type SQL, sql } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { createContext } from "./context";
import { run } from "./db";
import { BadInputError } from "./errors";
import { amountOf, quoted } from "./inputs";
import { DEFAULT_LIMITS } from "./limits";
import { type ReceiptFilter, type ReceiptOrder, receiptSortOf, receiptWhere } from "./schema/receipt";
import type { YogaOptions } from "./yoga";

/** Rows per SQL statement while streaming an export: memory stays bounded whatever the export's size. */
export const EXPORT_CHUNK_ROWS = 500;

const STATES = ["verified", "unpaid", "underpaid", "invalid_proof", "duplicate", "unofficial"];
const ORDER_FIELDS = ["SETTLED_AT", "PAID_AT", "AMOUNT", "LATENCY"] as const;

/** The exported columns, in CSV order; each row of the JSONL export has the same keys. */
const COLUMNS = [
  "id",
  "state",
  "paymentId",
  "inferenceId",
  "amount",
  "paidAmount",
  "payer",
  "payee",
  "facilitator",
  "teeId",
  "paidAt",
  "settledAt",
  "latencySeconds",
  "settlementKind",
  "settlementTxHash",
  "merkleRoot",
  "leafIndex",
  "checkPayment",
  "checkInclusion",
  "checkAttestation",
  "checkProvenance",
  "checkUniqueness",
  "reasons",
] as const;
type ExportRow = Record<(typeof COLUMNS)[number], string | number | boolean | null>;

function dateTimeOf(name: string, value: string): bigint {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) || Number.isNaN(ms))
    throw new BadInputError(
      `Parameter ${name} ${quoted(value)} is not an ISO 8601 date-time, e.g. "2026-01-01T00:00:00Z".`,
      {
        code: "BAD_TIME_RANGE",
      },
    );
  return BigInt(Math.floor(ms / 1000));
}

/**
 * The `receipts` filter and order from query parameters: `?states=verified,unpaid&from=…&payer=0x…&order=AMOUNT:DESC`
 * (or `&orderBy=AMOUNT&direction=DESC`).
 */
export function exportArgsOf(params: URLSearchParams): { where: ReceiptFilter; orderBy: ReceiptOrder } {
  const get = (name: string) => params.get(name) ?? undefined;
  const states = get("states")?.split(",").filter(Boolean);
  for (const state of states ?? [])
    if (!STATES.includes(state))
      throw new BadInputError(`State ${quoted(state)} is not one of ${STATES.join(", ")}.`, { code: "BAD_ARGUMENTS" });
  // `order=AMOUNT:DESC`, or the `receipts` argument's own shape: `orderBy=AMOUNT&direction=DESC`.
  const order = get("order") ?? `${get("orderBy") ?? "SETTLED_AT"}:${get("direction") ?? "ASC"}`;
  const [field = "", direction = ""] = order.toUpperCase().split(":");
  if (!ORDER_FIELDS.includes(field as ReceiptOrder["field"]) || !["ASC", "DESC"].includes(direction))
    throw new BadInputError(
      `Order ${quoted(order)} is not <field>:<direction> with a field of ${ORDER_FIELDS.join(", ")} and ASC or DESC.`,
      { code: "BAD_ARGUMENTS" },
    );
  const time = (name: string) => (get(name) === undefined ? undefined : dateTimeOf(name, get(name)!));
  const amount = (name: string) => (get(name) === undefined ? undefined : amountOf(get(name)!, name));
  return {
    where: {
      states,
      from: time("from"),
      to: time("to"),
      paidFrom: time("paidFrom"),
      paidTo: time("paidTo"),
      payer: get("payer"),
      payee: get("payee"),
      facilitator: get("facilitator"),
      teeId: get("teeId"),
      paymentId: get("paymentId"),
      minAmount: amount("minAmount"),
      maxAmount: amount("maxAmount"),
    },
    orderBy: { field: field as ReceiptOrder["field"], direction: direction as ReceiptOrder["direction"] },
  };
}

const csvCell = (value: ExportRow[keyof ExportRow]) => {
  if (value === null) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/**
 * `GET /export/receipts.csv` and `/export/receipts.jsonl`: every receipt matching the `receipts` filters (as query
 * parameters), streamed in keyset chunks, so an export of any size holds one chunk in memory.
 */
export function exportRoutes({ db, tables, limits }: Pick<YogaOptions, "db" | "tables" | "limits">) {
  const t = tables;
  const handler = (format: "csv" | "jsonl") => (c: Context) => {
    const ctx = createContext({ db, tables, limits: { ...DEFAULT_LIMITS, ...limits } });
    let where: SQL | undefined;
    let sort: ReturnType<typeof receiptSortOf>;
    try {
      const args = exportArgsOf(new URL(c.req.url).searchParams);
      where = receiptWhere(ctx, args.where);
      sort = receiptSortOf(ctx, args.orderBy);
    } catch (error) {
      if (error instanceof BadInputError) return c.json({ error: { code: error.code, message: error.message } }, 400);
      throw error;
    }
    const { value, direction } = sort.sort;
    const comparison = sql.raw(direction === "DESC" ? "<" : ">");
    const order = sql.raw(direction);
    let after: { value: string; id: string } | null = null;
    let header = format === "csv";
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const cursor = after
            ? sql`(${value}, ${t.receipt.id}) ${comparison} (${after.value}::numeric, ${after.id})`
            : undefined;
          const rows = await run(
            ctx.counter,
            db
              .select({ receipt: t.receipt, settlement: t.settlement, leafIndex: t.leaf.leafIndex })
              .from(t.receipt)
              .innerJoin(t.settlement, eq(t.settlement.id, t.receipt.settlementId))
              .innerJoin(t.leaf, eq(t.leaf.id, t.receipt.leafId))
              .where(and(where, cursor))
              .orderBy(sql`${value} ${order}`, sql`${t.receipt.id} ${order}`)
              .limit(EXPORT_CHUNK_ROWS),
          );
          let text = header ? `${COLUMNS.join(",")}\n` : "";
          header = false;
          for (const { receipt: r, settlement: s, leafIndex } of rows) {
            const iso = (seconds: bigint | null) =>
              seconds === null ? null : new Date(Number(seconds) * 1000).toISOString();
            const row: ExportRow = {
              id: r.id,
              state: r.state,
              paymentId: r.paymentId,
              inferenceId: r.inferenceId,
              amount: String(r.amount),
              paidAmount: r.paidAmount === null ? null : String(r.paidAmount),
              payer: r.payer,
              payee: r.payee,
              facilitator: r.facilitator,
              teeId: r.teeId,
              paidAt: iso(r.paidAt),
              settledAt: iso(r.settledAt),
              latencySeconds: r.latencySeconds === null ? null : Number(r.latencySeconds),
              settlementKind: s.kind,
              settlementTxHash: s.txHash,
              merkleRoot: s.merkleRoot,
              leafIndex,
              checkPayment: r.checkPayment,
              checkInclusion: r.checkInclusion,
              checkAttestation: r.checkAttestation,
              checkProvenance: r.checkProvenance,
              checkUniqueness: r.checkUniqueness,
              reasons: JSON.stringify(r.reasons),
            };
            text +=
              format === "csv"
                ? `${COLUMNS.map((k) => csvCell(row[k])).join(",")}\n`
                : `${JSON.stringify({ ...row, reasons: r.reasons })}\n`;
          }
          if (text) controller.enqueue(encoder.encode(text));
          const last = rows.at(-1);
          if (rows.length < EXPORT_CHUNK_ROWS || !last) controller.close();
          else after = { value: String(sort.sortValueOf(last.receipt) ?? -1n), id: last.receipt.id };
        } catch (error) {
          controller.error(error);
        }
      },
    });
    return c.body(stream, 200, {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="receipts.${format}"`,
      "cache-control": "no-store",
    });
  };
  return new Hono().get("/export/receipts.csv", handler("csv")).get("/export/receipts.jsonl", handler("jsonl"));
}
