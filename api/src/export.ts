import { and, eq, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { Hono, type Context as HonoContext } from "hono";
import { type Context, createContext } from "./context";
import { run } from "./db";
import { BadInputError } from "./errors";
import { amountOf, quoted } from "./inputs";
import { DEFAULT_LIMITS } from "./limits";
import { decodeCursor, encodeCursor, keysetOf, type SortKey } from "./pagination";
import {
  assetOf,
  linkedPaymentStateOf,
  type PaymentFilter,
  type PaymentOrder,
  paymentSortOf,
  paymentWhere,
} from "./schema/payment";
import { type ReceiptFilter, type ReceiptOrder, receiptSortOf, receiptWhere } from "./schema/receipt";
import type { YogaOptions } from "./yoga";

/** Rows per SQL statement while streaming an export: memory stays bounded whatever the export's size. */
export const EXPORT_CHUNK_ROWS = 500;

const STATES = ["verified", "unpaid", "underpaid", "invalid_proof", "duplicate", "unofficial"];
const ORDER_FIELDS = ["SETTLED_AT", "PAID_AT", "AMOUNT", "LATENCY"] as const;
const PAYMENT_STATES = ["awaiting_proof", "overdue", "proven"] as const;
const PAYMENT_SCHEMES = ["eip3009", "permit2_exact", "permit2_upto"] as const;
const PAYMENT_ORDER_FIELDS = ["PAID_AT", "AMOUNT"] as const;

/** The exported receipt columns, in CSV order; each row of the JSONL export has the same keys. */
const RECEIPT_COLUMNS = [
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
type Cell = string | number | boolean | null;

/** The exported payment columns, in CSV order; each row of the JSONL export has the same keys. */
const PAYMENT_COLUMNS = [
  "id",
  "scheme",
  "token",
  "symbol",
  "decimals",
  "amount",
  "tokenAmount",
  "maxAmount",
  "nonce",
  "payer",
  "payee",
  "facilitator",
  "paidAt",
  "state",
  "txHash",
  "inferenceCount",
] as const;

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
  const { get, listOf, orderOf, time, amount } = paramReaders(params);
  const states = listOf("states", "State", STATES);
  const orderBy = orderOf(ORDER_FIELDS, "SETTLED_AT");
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
    orderBy,
  };
}

/**
 * The `payments` filter and order from query parameters: `?states=overdue&token=0x…&schemes=permit2_upto,eip3009`,
 * `&order=AMOUNT:DESC` (or `&orderBy=AMOUNT&direction=DESC`); the oldest payment first by default.
 */
export function paymentExportArgsOf(params: URLSearchParams): { where: PaymentFilter; orderBy: PaymentOrder } {
  const { get, listOf, orderOf, time, amount } = paramReaders(params);
  return {
    where: {
      states: listOf("states", "State", PAYMENT_STATES),
      schemes: listOf("schemes", "Scheme", PAYMENT_SCHEMES),
      from: time("from"),
      to: time("to"),
      payer: get("payer"),
      payee: get("payee"),
      facilitator: get("facilitator"),
      token: get("token"),
      txHash: get("txHash"),
      minAmount: amount("minAmount"),
      maxAmount: amount("maxAmount"),
    },
    orderBy: orderOf(PAYMENT_ORDER_FIELDS, "PAID_AT"),
  };
}

/** Readers of an export's query parameters, each checking what it reads. */
function paramReaders(params: URLSearchParams) {
  const get = (name: string) => params.get(name) ?? undefined;
  return {
    get,
    /** A comma-separated list of allowed values; undefined when absent. */
    listOf<T extends string>(name: string, what: string, allowed: readonly T[]): T[] | undefined {
      const values = get(name)?.split(",").filter(Boolean);
      for (const value of values ?? [])
        if (!allowed.includes(value as T))
          throw new BadInputError(`${what} ${quoted(value)} is not one of ${allowed.join(", ")}.`, {
            code: "BAD_ARGUMENTS",
          });
      return values as T[] | undefined;
    },
    /** `order=AMOUNT:DESC`, or the connection argument's own shape: `orderBy=AMOUNT&direction=DESC`. */
    orderOf<F extends string>(fields: readonly F[], byDefault: F): { field: F; direction: "ASC" | "DESC" } {
      const order = get("order") ?? `${get("orderBy") ?? byDefault}:${get("direction") ?? "ASC"}`;
      const [field = "", direction = ""] = order.toUpperCase().split(":");
      if (!fields.includes(field as F) || !["ASC", "DESC"].includes(direction))
        throw new BadInputError(
          `Order ${quoted(order)} is not <field>:<direction> with a field of ${fields.join(", ")} and ASC or DESC.`,
          { code: "BAD_ARGUMENTS" },
        );
      return { field: field as F, direction: direction as "ASC" | "DESC" };
    },
    time: (name: string) => (get(name) === undefined ? undefined : dateTimeOf(name, get(name)!)),
    amount: (name: string) => (get(name) === undefined ? undefined : amountOf(get(name)!, name)),
  };
}

const csvCell = (value: Cell) => {
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

/** What an export prepared from its query parameters: its filter, its order, and how a fetched row is written. */
type PreparedExport<T> = {
  where: SQL | undefined;
  sort: SortKey;
  /** The row's position in the order, for the `after` cursor. */
  positionOf: (row: T) => { value: string; id: string };
  /** The row's cells by column; `json` overrides cells in the JSONL export (e.g. structured values). */
  cellsOf: (row: T) => { cells: Record<string, Cell>; json?: Record<string, unknown> };
};

/** One entity's export: its file name, its columns, and how a chunk of its rows is read. */
type ExportSpec<T> = {
  /** The plural noun of the file name and the messages: `receipts`, `payments`. */
  name: string;
  columns: readonly string[];
  /** The column the cursor's tie-break is on (the primary key). */
  id: (ctx: Context) => PgColumn;
  /** The filter and order from the query parameters; throws BadInputError on a bad one. */
  prepare: (ctx: Context, params: URLSearchParams) => Promise<PreparedExport<T>> | PreparedExport<T>;
  /** One chunk: at most `size` rows matching `where`, in `orderBy`. */
  chunk: (ctx: Context, where: SQL | undefined, orderBy: readonly SQL[], size: number) => Promise<T[]>;
};

const iso = (seconds: bigint | null) => (seconds === null ? null : new Date(Number(seconds) * 1000).toISOString());
const text = (value: bigint | null) => (value === null ? null : String(value));

/**
 * Base units as a decimal number of tokens, trailing zeros dropped: viem's formatUnits, which the API does not
 * depend on.
 * @example tokenAmountOf(1_500_000n, 6) // "1.5"
 */
export function tokenAmountOf(units: bigint, decimals: number): string {
  const digits = (units < 0n ? -units : units).toString().padStart(decimals + 1, "0");
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${units < 0n ? "-" : ""}${digits.slice(0, digits.length - decimals)}${fraction ? `.${fraction}` : ""}`;
}

/** Receipts with their settlement and leaf index: the receipt history's export. */
const RECEIPT_EXPORT: ExportSpec<{
  receipt: Context["tables"]["receipt"]["$inferSelect"];
  settlement: Context["tables"]["settlement"]["$inferSelect"];
  leafIndex: number;
}> = {
  name: "receipts",
  columns: RECEIPT_COLUMNS,
  id: (ctx) => ctx.tables.receipt.id,
  prepare: (ctx, params) => {
    const args = exportArgsOf(params);
    const { sort, sortValueOf } = receiptSortOf(ctx, args.orderBy);
    return {
      where: receiptWhere(ctx, args.where),
      sort,
      positionOf: ({ receipt: r }) => ({ value: String(sortValueOf(r) ?? -1n), id: r.id }),
      cellsOf: ({ receipt: r, settlement: s, leafIndex }) => ({
        cells: {
          id: r.id,
          state: r.state,
          paymentId: r.paymentId,
          inferenceId: r.inferenceId,
          amount: String(r.amount),
          paidAmount: text(r.paidAmount),
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
        },
        json: { reasons: r.reasons },
      }),
    };
  },
  chunk: (ctx, where, orderBy, size) => {
    const t = ctx.tables;
    return run(
      ctx.counter,
      ctx.db
        .select({ receipt: t.receipt, settlement: t.settlement, leafIndex: t.leaf.leafIndex })
        .from(t.receipt)
        .innerJoin(t.settlement, eq(t.settlement.id, t.receipt.settlementId))
        .innerJoin(t.leaf, eq(t.leaf.id, t.receipt.leafId))
        .where(where)
        .orderBy(...orderBy)
        .limit(size),
    );
  },
};

/** Payments with their token, state at chain time and linked inference count: the payment history's export. */
const PAYMENT_EXPORT: ExportSpec<{ payment: Context["tables"]["payment"]["$inferSelect"]; inferences: number }> = {
  name: "payments",
  columns: PAYMENT_COLUMNS,
  id: (ctx) => ctx.tables.payment.id,
  prepare: async (ctx, params) => {
    const args = paymentExportArgsOf(params);
    const { sort, sortValueOf } = paymentSortOf(ctx, args.orderBy);
    // One chain time for the whole export, so a payment's state does not change between its chunks.
    const [where, now] = await Promise.all([paymentWhere(ctx, args.where), ctx.loaders.now()]);
    return {
      where,
      sort,
      positionOf: ({ payment: p }) => ({ value: String(sortValueOf(p) ?? -1n), id: p.id }),
      cellsOf: ({ payment: p, inferences }) => {
        const asset = assetOf(p.token);
        return {
          cells: {
            id: p.id,
            scheme: p.scheme,
            token: p.token,
            symbol: asset.symbol,
            decimals: asset.decimals,
            amount: String(p.amount),
            tokenAmount: asset.decimals === null ? null : tokenAmountOf(p.amount, asset.decimals),
            maxAmount: text(p.maxAmount),
            nonce: p.nonce,
            payer: p.payer,
            payee: p.payee,
            facilitator: p.facilitator,
            paidAt: iso(p.paidAt),
            state: linkedPaymentStateOf(p, now),
            txHash: p.txHash,
            inferenceCount: inferences,
          },
        };
      },
    };
  },
  chunk: (ctx, where, orderBy, size) => {
    const { payment: p, inference: i } = ctx.tables;
    return run(
      ctx.counter,
      ctx.db
        .select({
          payment: p,
          // Exact and session links alike: the inference table names the payment it is linked to (indexed). The outer
          // id is qualified: unqualified, it would name the inference's own id inside the subquery.
          inferences: sql<number>`(select count(*)::int from ${i} linked where linked.payment_id = ${p}.id)`.mapWith(
            Number,
          ),
        })
        .from(p)
        .where(where)
        .orderBy(...orderBy)
        .limit(size),
    );
  },
};

/**
 * Streams one export in keyset chunks, so an export of any size holds one chunk in memory; bounded by `limit` rows
 * and `exportTimeoutMs`, then a trailer line (see `exportRoutes`).
 */
async function streamExport<T>(
  c: HonoContext,
  spec: ExportSpec<T>,
  format: "csv" | "jsonl",
  { db, tables, limits }: Pick<YogaOptions, "db" | "tables" | "limits">,
) {
  const { maxExportRows, exportTimeoutMs } = { ...DEFAULT_LIMITS, ...limits };
  const ctx = createContext({ db, tables, limits: { ...DEFAULT_LIMITS, ...limits } });
  let prepared: PreparedExport<T>;
  let limit: number;
  let after: { value: string; id: string } | null;
  try {
    const params = new URL(c.req.url).searchParams;
    prepared = await spec.prepare(ctx, params);
    limit = exportLimitOf(params.get("limit"), maxExportRows);
    const cursor = params.get("after");
    after = cursor === null ? null : decodeCursor(cursor, prepared.sort.name);
  } catch (error) {
    if (error instanceof BadInputError) return c.json({ error: { code: error.code, message: error.message } }, 400);
    throw error;
  }
  const { where, sort, positionOf, cellsOf } = prepared;
  const id = spec.id(ctx);
  const columns = spec.columns;
  const deadline = Date.now() + exportTimeoutMs;
  let sent = 0;
  let header = format === "csv";
  let done = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const encoder = new TextEncoder();
  const cursorOf = (position: { value: string; id: string }) => encodeCursor(sort.name, position.value, position.id);
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
          ? `The export stopped at its limit of ${limit} rows and more ${spec.name} match; ${resume}.`
          : `The export stopped after ${exportTimeoutMs} ms, at ${sent} rows; ${resume}.`;
      const trailer: ExportTrailer = { truncated: { code, message, rows: sent, after: after && cursorOf(after) } };
      const line = `${format === "csv" ? "#" : ""}${JSON.stringify(trailer)}\n`;
      controller.enqueue(encoder.encode(`${header ? `${columns.join(",")}\n` : ""}${line}`));
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
      const { afterCursor, orderBy } = keysetOf(sort, id, after);
      try {
        const query = spec.chunk(ctx, and(where, afterCursor), orderBy, size);
        // A statement still running at the deadline is left behind: the timer has ended the stream.
        query.catch(() => {});
        const rows = await query;
        if (done) return;
        let out = header ? `${columns.join(",")}\n` : "";
        header = false;
        for (const row of rows.slice(0, remaining)) {
          const { cells, json } = cellsOf(row);
          out +=
            format === "csv"
              ? `${columns.map((k) => csvCell(cells[k] ?? null)).join(",")}\n`
              : `${JSON.stringify(json ? { ...cells, ...json } : cells)}\n`;
          sent++;
          after = positionOf(row);
        }
        if (out) controller.enqueue(encoder.encode(out));
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
    "content-disposition": `attachment; filename="${spec.name}.${format}"`,
    "cache-control": "no-store",
  });
}

/**
 * `GET /export/receipts.{csv,jsonl}` and `/export/payments.{csv,jsonl}`: the receipts (payments) matching the
 * `receipts` (`payments`) filters, given as query parameters, streamed in keyset chunks, so an export of any size holds
 * one chunk in memory. Payments add `symbol`, `decimals`, `tokenAmount` (the amount in the token's units, when its
 * decimals are known), their state at chain time and `inferenceCount` (exact and session links).
 *
 * Bounds: at most `limit` rows (default and maximum `maxExportRows`), for at most `exportTimeoutMs`. An export that
 * stops before its last matching row ends with one trailer line, `ExportTrailer` as JSON (after a `#` in CSV, which
 * most CSV readers can skip as a comment): `code` says which bound (ROW_LIMIT or TIME_LIMIT) and `after` is the cursor
 * of the last row sent (null when none was). The same request with `&after=<cursor>` continues where it stopped (the
 * connection's `endCursor` of the same order works too). No trailer: every matching row was sent. The status is 200
 * either way, since it is sent before the first row.
 * @example
 * // curl '…/export/receipts.jsonl?states=unpaid&limit=1000' → 1,000 receipt lines, then (if more match)
 * // {"truncated":{"code":"ROW_LIMIT","message":"The export stopped at its limit of 1000 rows and more receipts
 * // match; repeat the request with \"after\" from this line to continue.","rows":1000,"after":"WyJTRVRUTEVEX0FUIiwi…"}}
 * // curl '…/export/payments.csv?schemes=permit2_upto&token=0xfbc2…' → the OPG upto sessions, oldest first
 */
export function exportRoutes(options: Pick<YogaOptions, "db" | "tables" | "limits">) {
  const app = new Hono();
  for (const spec of [RECEIPT_EXPORT, PAYMENT_EXPORT] as ExportSpec<unknown>[])
    for (const format of ["csv", "jsonl"] as const)
      app.get(`/export/${spec.name}.${format}`, (c) => streamExport(c, spec, format, options));
  return app;
}
