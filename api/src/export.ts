import { and, eq, type SQL } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { createContext } from "./context";
import { run } from "./db";
import { BadInputError } from "./errors";
import { amountOf, quoted } from "./inputs";
import { DEFAULT_LIMITS } from "./limits";
import { decodeCursor, encodeCursor, keysetOf } from "./pagination";
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

/** Why an export ended before its last matching row: its row limit, or its time limit. */
export type ExportTrailer = {
  truncated: { code: "ROW_LIMIT" | "TIME_LIMIT"; message: string; rows: number; after: string | null };
};

/** The checked `limit` of an export: a whole number from 1 to `maxExportRows`, which is also its default. */
export function exportLimitOf(value: string | null, maxExportRows: number): number {
  if (value === null) return maxExportRows;
  const limit = Number(value);
  if (!/^[0-9]+$/.test(value) || limit < 1 || limit > maxExportRows)
    throw new BadInputError(`Export limit ${quoted(value)} is not a whole number from 1 to ${maxExportRows}.`, {
      code: "BAD_PAGE_SIZE",
    });
  return limit;
}

/**
 * `GET /export/receipts.csv` and `/export/receipts.jsonl`: the receipts matching the `receipts` filters (as query
 * parameters), streamed in keyset chunks, so an export of any size holds one chunk in memory.
 *
 * Bounds: at most `limit` rows (default and maximum `maxExportRows`), for at most `exportTimeoutMs`. An export that
 * stops before its last matching row ends with one trailer line, `ExportTrailer` as JSON (after a `#` in CSV, which
 * most CSV readers can skip as a comment): `code` says which bound (ROW_LIMIT or TIME_LIMIT) and `after` is the cursor
 * of the last row sent (null when none was). The same request with `&after=<cursor>` continues where it stopped (a `receipts` connection's
 * `endCursor` of the same order works too). No trailer: every matching row was sent. The status is 200 either way,
 * since it is sent before the first row.
 * @example
 * // curl '…/export/receipts.jsonl?states=unpaid&limit=1000' → 1,000 receipt lines, then (if more match)
 * // {"truncated":{"code":"ROW_LIMIT","message":"The export stopped at its limit of 1000 rows and more receipts
 * // match; repeat the request with \"after\" from this line to continue.","rows":1000,"after":"WyJTRVRUTEVEX0FUIiwi…"}}
 */
export function exportRoutes({ db, tables, limits }: Pick<YogaOptions, "db" | "tables" | "limits">) {
  const t = tables;
  const { maxExportRows, exportTimeoutMs } = { ...DEFAULT_LIMITS, ...limits };
  const handler = (format: "csv" | "jsonl") => (c: Context) => {
    const ctx = createContext({ db, tables, limits: { ...DEFAULT_LIMITS, ...limits } });
    let where: SQL | undefined;
    let sort: ReturnType<typeof receiptSortOf>;
    let limit: number;
    let after: { value: string; id: string } | null;
    try {
      const params = new URL(c.req.url).searchParams;
      const args = exportArgsOf(params);
      where = receiptWhere(ctx, args.where);
      sort = receiptSortOf(ctx, args.orderBy);
      limit = exportLimitOf(params.get("limit"), maxExportRows);
      const cursor = params.get("after");
      after = cursor === null ? null : decodeCursor(cursor, sort.sort.name);
    } catch (error) {
      if (error instanceof BadInputError) return c.json({ error: { code: error.code, message: error.message } }, 400);
      throw error;
    }
    const { sort: key, sortValueOf } = sort;
    const deadline = Date.now() + exportTimeoutMs;
    let sent = 0;
    let header = format === "csv";
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const encoder = new TextEncoder();
    const cursorOf = (position: { value: string; id: string }) => encodeCursor(key.name, position.value, position.id);
    const finish = (controller: ReadableStreamDefaultController<Uint8Array>, code?: "ROW_LIMIT" | "TIME_LIMIT") => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (code) {
        const resume = after
          ? 'repeat the request with "after" from this line to continue'
          : "retry, or narrow the filter";
        const message =
          code === "ROW_LIMIT"
            ? `The export stopped at its limit of ${limit} rows and more receipts match; ${resume}.`
            : `The export stopped after ${exportTimeoutMs} ms, at ${sent} rows; ${resume}.`;
        const trailer: ExportTrailer = { truncated: { code, message, rows: sent, after: after && cursorOf(after) } };
        const line = `${format === "csv" ? "#" : ""}${JSON.stringify(trailer)}\n`;
        controller.enqueue(encoder.encode(`${header ? `${COLUMNS.join(",")}\n` : ""}${line}`));
      }
      controller.close();
    };
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        // A reader that stops reading still gets its stream ended at the deadline.
        timer = setTimeout(() => finish(controller, "TIME_LIMIT"), exportTimeoutMs);
      },
      async pull(controller) {
        if (done) return;
        if (Date.now() >= deadline) return finish(controller, "TIME_LIMIT");
        const remaining = limit - sent;
        // One row beyond the limit tells whether more match (then a ROW_LIMIT trailer) or the export is complete.
        const size = Math.min(EXPORT_CHUNK_ROWS, remaining + 1);
        const { afterCursor, orderBy } = keysetOf(key, t.receipt.id, after);
        try {
          const query = run(
            ctx.counter,
            db
              .select({ receipt: t.receipt, settlement: t.settlement, leafIndex: t.leaf.leafIndex })
              .from(t.receipt)
              .innerJoin(t.settlement, eq(t.settlement.id, t.receipt.settlementId))
              .innerJoin(t.leaf, eq(t.leaf.id, t.receipt.leafId))
              .where(and(where, afterCursor))
              .orderBy(...orderBy)
              .limit(size),
          );
          // A statement still running at the deadline is left behind: the timer has ended the stream.
          query.catch(() => {});
          const rows = await query;
          if (done) return;
          let text = header ? `${COLUMNS.join(",")}\n` : "";
          header = false;
          for (const { receipt: r, settlement: s, leafIndex } of rows.slice(0, remaining)) {
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
            sent++;
            after = { value: String(sortValueOf(r) ?? -1n), id: r.id };
          }
          if (text) controller.enqueue(encoder.encode(text));
          if (rows.length > remaining) finish(controller, "ROW_LIMIT");
          else if (rows.length < size) finish(controller);
        } catch (error) {
          done = true;
          clearTimeout(timer);
          controller.error(error);
        }
      },
      cancel() {
        done = true;
        clearTimeout(timer);
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
