import * as tables from "@settlescan/indexer/ponder.schema.ts";
import { type MemoryDatabase, memoryDatabase, rowOf } from "@settlescan/indexer/test/memoryDatabase.ts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { apiRoutes } from "./app";
import type { Db } from "./db";
import { EXPORT_CHUNK_ROWS, type ExportTrailer } from "./export";
import type { Limits } from "./limits";

/** Receipts in the database: more than one export chunk, so a bound can fall between chunks. */
const RECEIPTS = EXPORT_CHUNK_ROWS + 20;

let db: MemoryDatabase;

beforeAll(async () => {
  db = await memoryDatabase();
  const hex = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
  const ns = Array.from({ length: RECEIPTS }, (_, i) => i + 1);
  await db.insert(tables.settlement).values(ns.map((n) => rowOf(tables.settlement, n)) as never);
  await db.insert(tables.leaf).values(ns.map((n) => rowOf(tables.leaf, n)) as never);
  await db.insert(tables.receipt).values(
    ns.map((n) => ({
      ...rowOf(tables.receipt, n),
      settlementId: hex(n),
      leafId: hex(n),
      // A few receipts settled at the same second, so the cursor's tie-break by id is exercised.
      settledAt: 1_767_225_600n + BigInt(n % 50),
      paidAt: 1_767_225_000n,
      latencySeconds: 600n,
    })) as never,
  );
}, 60_000);
afterAll(async () => {
  await db?.$client.close();
});

/** A database whose statements after the first `answered` never answer. */
function stallingAfter(answered: number): Db {
  let statements = 0;
  return new Proxy(db, {
    get: (target, key, receiver) =>
      key === "select"
        ? (...args: unknown[]) => {
            statements++;
            if (statements <= answered) return (target.select as (...a: unknown[]) => unknown)(...args);
            const never = new Promise(() => {});
            const chain: unknown = new Proxy(() => {}, {
              get: (_, k) => (k === "then" ? never.then.bind(never) : () => chain),
              apply: () => chain,
            });
            return chain;
          }
        : Reflect.get(target, key, receiver),
  }) as unknown as Db;
}

const app = (limits: Partial<Limits> = {}, database: Db = db as unknown as Db) =>
  apiRoutes({ db: database, tables, limits });

/** An export's lines: its receipt ids, and its trailer when it stopped early. */
async function exportOf(response: Response) {
  const lines = (await response.text()).trimEnd().split("\n");
  const last = lines.at(-1) ?? "";
  const trailer = /^#?\{"truncated"/.test(last) ? (JSON.parse(last.replace(/^#/, "")) as ExportTrailer) : null;
  const rows = trailer ? lines.slice(0, -1) : lines;
  const ids = rows.flatMap((line) =>
    line.startsWith("{")
      ? [(JSON.parse(line) as { id: string }).id]
      : line.startsWith("0x")
        ? [line.split(",")[0]!]
        : [],
  );
  return { ids, trailer, first: lines[0] };
}

describe("/export/receipts.*", () => {
  test("default: without a bound reached, every receipt and no trailer", async () => {
    const { ids, trailer } = await exportOf(await app().request("/export/receipts.jsonl"));
    expect(ids.length).toBe(RECEIPTS);
    expect(new Set(ids).size).toBe(RECEIPTS);
    expect(trailer).toBeNull();
  });

  test("behavior: limit stops the export with a ROW_LIMIT trailer, and after continues it, each row once", async () => {
    const { ids: all } = await exportOf(await app().request("/export/receipts.jsonl?order=SETTLED_AT:DESC"));
    const pieces: string[][] = [];
    const trailers: (ExportTrailer["truncated"] | undefined)[] = [];
    let after = "";
    for (let i = 0; i < 10; i++) {
      const { ids, trailer } = await exportOf(
        await app().request(`/export/receipts.jsonl?order=SETTLED_AT:DESC&limit=200${after && `&after=${after}`}`),
      );
      pieces.push(ids);
      trailers.push(trailer?.truncated);
      if (!trailer) break;
      after = trailer.truncated.after!;
    }
    expect(pieces.map((p) => p.length)).toEqual([200, 200, 120]);
    expect(pieces.flat()).toEqual(all);
    expect(trailers.map((t) => t && `${t.code} ${t.rows}`)).toEqual(["ROW_LIMIT 200", "ROW_LIMIT 200", undefined]);
    expect(trailers[0]!.message).toMatchInlineSnapshot(
      `"The export stopped at its limit of 200 rows and more receipts match; repeat the request with "after" from this line to continue."`,
    );
  });

  test("behavior: an export that times out before its first row says so, with no cursor", async () => {
    const response = await app({ exportTimeoutMs: 100 }, stallingAfter(0)).request("/export/receipts.csv");
    expect(await response.text()).toMatchInlineSnapshot(`
      "id,state,paymentId,inferenceId,amount,paidAmount,payer,payee,facilitator,teeId,paidAt,settledAt,latencySeconds,settlementKind,settlementTxHash,merkleRoot,leafIndex,checkPayment,checkInclusion,checkAttestation,checkProvenance,checkUniqueness,reasons
      #{"truncated":{"code":"TIME_LIMIT","message":"The export stopped after 100 ms, at 0 rows; retry, or narrow the filter.","rows":0,"after":null}}
      "
    `);
  });

  test("behavior: an export of exactly the rows left ends without a trailer", async () => {
    const { ids, trailer } = await exportOf(await app().request(`/export/receipts.jsonl?limit=${RECEIPTS}`));
    expect([ids.length, trailer]).toEqual([RECEIPTS, null]);
  });

  test("behavior: maxExportRows caps an export without limit, CSV's trailer after a #", async () => {
    const response = await app({ maxExportRows: 30 }).request("/export/receipts.csv");
    const { ids, trailer, first } = await exportOf(response);
    expect(first).toMatch(/^id,state,/);
    expect(ids.length).toBe(30);
    expect(trailer?.truncated.code).toBe("ROW_LIMIT");
  });

  test("behavior: a stalled export ends at its time limit with a TIME_LIMIT trailer naming where it stopped", async () => {
    const started = performance.now();
    const response = await app({ exportTimeoutMs: 300 }, stallingAfter(1)).request("/export/receipts.jsonl");
    const { ids, trailer } = await exportOf(response);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(ids.length).toBe(EXPORT_CHUNK_ROWS);
    expect(trailer?.truncated.message).toMatchInlineSnapshot(
      `"The export stopped after 300 ms, at 500 rows; repeat the request with "after" from this line to continue."`,
    );
    const rest = await exportOf(await app().request(`/export/receipts.jsonl?after=${trailer!.truncated.after}`));
    expect([...ids, ...rest.ids]).toEqual((await exportOf(await app().request("/export/receipts.jsonl"))).ids);
  });

  test("args: a bad limit or after is a 400 that says why", async () => {
    const answers = await Promise.all(
      [
        "limit=0",
        "limit=31",
        "limit=ten",
        "after=nope",
        `order=AMOUNT:ASC&after=${Buffer.from('["SETTLED_AT","1","0x01"]').toString("base64url")}`,
      ].map(async (query) => {
        const response = await app({ maxExportRows: 30 }).request(`/export/receipts.csv?${query}`);
        return `${response.status} ${await response.text()}`;
      }),
    );
    expect(answers).toMatchInlineSnapshot(`
      [
        "400 {"error":{"code":"BAD_PAGE_SIZE","message":"Export limit \\"0\\" is not a whole number from 1 to 30."}}",
        "400 {"error":{"code":"BAD_PAGE_SIZE","message":"Export limit \\"31\\" is not a whole number from 1 to 30."}}",
        "400 {"error":{"code":"BAD_PAGE_SIZE","message":"Export limit \\"ten\\" is not a whole number from 1 to 30."}}",
        "400 {"error":{"code":"BAD_CURSOR","message":"Cursor \\"nope\\" is not a cursor this API issued."}}",
        "400 {"error":{"code":"BAD_CURSOR","message":"Cursor \\"WyJTRVRUTEVEX0FUIiwiMSIsIjB4MDEiXQ\\" belongs to an ordering by SETTLED_AT, not by AMOUNT; start again without \\"after\\"."}}",
      ]
    `);
  });
});

describe("/graphql and /blob", () => {
  const never = () => new Promise(() => {});
  const hanging = {
    select: () => ({ from: () => ({ where: () => ({ limit: never }), orderBy: never }) }),
    execute: never,
  };

  test("behavior: a GraphQL request past requestTimeoutMs is a 504 TIMEOUT in GraphQL's shape", async () => {
    const response = await apiRoutes({ db: hanging as never, tables, limits: { requestTimeoutMs: 100 } }).request(
      "/graphql",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ tees { id } }" }),
      },
    );
    expect(`${response.status} ${await response.text()}`).toMatchInlineSnapshot(
      `"504 {"errors":[{"message":"The request took longer than 100 ms; narrow it, or retry later.","extensions":{"code":"TIMEOUT"}}]}"`,
    );
  });

  test("behavior: a GraphQL body over maxRequestBytes is a 413", async () => {
    const response = await app({ maxRequestBytes: 100 }).request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ tees { id } }`, padding: "x".repeat(100) }),
    });
    expect(`${response.status} ${response.headers.get("connection")} ${await response.text()}`).toMatchInlineSnapshot(
      `"413 close {"errors":[{"message":"The request is larger than 100 bytes.","extensions":{"code":"REQUEST_TOO_LARGE"}}]}"`,
    );
  });

  test("behavior: a blob read past requestTimeoutMs is a 504", async () => {
    const response = await apiRoutes({ db: hanging as never, tables, limits: { requestTimeoutMs: 100 } }).request(
      `/blob/${"A".repeat(43)}`,
    );
    expect(`${response.status} ${await response.text()}`).toMatchInlineSnapshot(
      `"504 {"error":{"code":"TIMEOUT","message":"The request took longer than 100 ms; narrow it, or retry later."}}"`,
    );
  });
});
