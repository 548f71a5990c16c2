import { asc } from "ponder";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { type MemoryDatabase, memoryDatabase, rowOf, TABLES } from "../../test/memoryDatabase";
import { tableDigestOf } from "../lib/tableDigest";
import { integrityRoutes } from "./integrity";
import { progressRoutes } from "./progress";

// Outside Ponder there is no virtual `ponder:schema`: it is the schema file itself.
vi.mock("ponder:schema", async () => ({ default: await import("../../ponder.schema.ts") }));

/** Rows per table: every table spans several pages of the small page sizes below (blob pages are smaller still). */
const ROWS = { receipt: 23, inference: 17, leaf: 9, blob: 7, pendingBlob: 1, payment: 5 } as Record<string, number>;

let db: MemoryDatabase;
const statements = { count: 0 };
/** `db`, counting the statements the routes run. */
let counted: MemoryDatabase;

beforeAll(async () => {
  db = await memoryDatabase();
  for (const [name, table] of Object.entries(TABLES)) {
    const n = ROWS[name] ?? 3;
    // Ids inserted in reverse, so primary-key order is not insertion order.
    const rows = Array.from({ length: n }, (_, i) => rowOf(table, (n - i) * 7919));
    await db.insert(table).values(rows as never);
  }
  counted = new Proxy(db, {
    get: (target, key, receiver) => {
      if (key === "select") statements.count++;
      return Reflect.get(target, key, receiver);
    },
  });
}, 60_000);
afterAll(async () => {
  await db?.$client.close();
});

const sqlNameOf = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const allRowsOf = (table: (typeof TABLES)[keyof typeof TABLES]) => db.select().from(table).orderBy(asc(table.id));

describe("GET /integrity/:table", () => {
  const app = () => integrityRoutes(counted as never, { maxIntegrityPageRows: 5, integrityBlobPageRows: 2 });

  test("default: pages return every row exactly once, in primary-key order", async () => {
    const pages: { rows: { id: string }[]; next: string | null }[] = [];
    for (let after: string | null = null; pages.length < 100; ) {
      const response = await app().request(`/receipt?limit=4${after === null ? "" : `&after=${after}`}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as (typeof pages)[number];
      pages.push(page);
      if (page.next === null) break;
      expect(page.next).toBe(page.rows.at(-1)!.id);
      after = page.next;
    }
    expect(pages.map((p) => p.rows.length)).toEqual([4, 4, 4, 4, 4, 3]);
    const ids = pages.flatMap((p) => p.rows.map((r) => r.id));
    expect(new Set(ids).size).toBe(23);
    expect(ids).toEqual((await allRowsOf(TABLES.receipt)).map((r) => r.id));
  });

  test("behavior: a page's rows are the rows of the whole table, as canonical JSON", async () => {
    const rows: unknown[] = [];
    for (let after: string | null = null; ; ) {
      const page = (await (await app().request(`/inference${after ? `?after=${after}` : ""}`)).json()) as {
        rows: unknown[];
        next: string | null;
      };
      expect(page.rows.length).toBeLessThanOrEqual(5);
      rows.push(...page.rows);
      if (!page.next) break;
      after = page.next;
    }
    expect(rows).toEqual(
      JSON.parse(JSON.stringify(await allRowsOf(TABLES.inference), (_, v) => (typeof v === "bigint" ? String(v) : v))),
    );
  });

  test("behavior: a last page that is exactly full has next null", async () => {
    const response = await app().request("/payment?limit=5");
    expect(((await response.json()) as { next: string | null }).next).toBeNull();
  });

  test("behavior: blob pages are smaller (each row is a whole blob)", async () => {
    const page = (await (await app().request("/blob")).json()) as { rows: unknown[] };
    expect(page.rows.length).toBe(2);
    expect((await app().request("/blob?limit=3")).status).toBe(400);
  });

  test("args: a bad limit or after, or an unknown table, is refused with a sentence", async () => {
    const answers = await Promise.all(
      [
        "/receipt?limit=0",
        "/receipt?limit=6",
        "/receipt?limit=two",
        "/receipt?after=",
        `/receipt?after=${"x".repeat(300)}`,
        "/receipts",
      ].map(async (path) => {
        const response = await app().request(path);
        return `${response.status} ${await response.text()}`;
      }),
    );
    expect(answers).toMatchInlineSnapshot(`
      [
        "400 {"error":{"code":"BAD_PAGE_SIZE","message":"Limit \\"0\\" is not a whole number from 1 to 5 (the most rows of receipt a page holds)."}}",
        "400 {"error":{"code":"BAD_PAGE_SIZE","message":"Limit \\"6\\" is not a whole number from 1 to 5 (the most rows of receipt a page holds)."}}",
        "400 {"error":{"code":"BAD_PAGE_SIZE","message":"Limit \\"two\\" is not a whole number from 1 to 5 (the most rows of receipt a page holds)."}}",
        "400 {"error":{"code":"BAD_CURSOR","message":"After \\"\\" is not a row id: expected the \\"next\\" of a previous page (1 to 256 characters)."}}",
        "400 {"error":{"code":"BAD_CURSOR","message":"After \\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…\\" is not a row id: expected the \\"next\\" of a previous page (1 to 256 characters)."}}",
        "404 {"error":{"code":"UNKNOWN_TABLE","message":"Unknown table \\"receipts\\"; expected one of blob, inference, leaf, payment, payment_claim, payment_session, pcr, pending_blob, permit2_nonce_cancellation, receipt, relay_signer, session_bucket, settlement, tee, usdc_authorization."}}",
      ]
    `);
  });
});

describe("GET /integrity", () => {
  test("default: the digest read in pages is the digest of each whole table, read at once", async () => {
    statements.count = 0;
    const response = await integrityRoutes(counted as never, {
      integrityDigestPageRows: 4,
      integrityBlobPageRows: 2,
    }).request("/");
    const answer = (await response.json()) as {
      digest: string;
      tables: Record<string, { rows: number; digest: string }>;
    };
    const expected: Record<string, { rows: number; digest: string }> = {};
    for (const [name, table] of Object.entries(TABLES)) {
      const rows = await allRowsOf(table);
      expected[sqlNameOf(name)] = { rows: rows.length, digest: tableDigestOf(rows) };
    }
    expect(answer.tables).toEqual(expected);
    expect(answer.digest).toBe(tableDigestOf(Object.entries(answer.tables)));
    // Whole pages and one short page per table: no statement read more than a page.
    const pages = Object.entries(expected).reduce(
      (sum, [name, { rows }]) => sum + Math.floor(rows / (name === "blob" ? 2 : 4)) + 1,
      0,
    );
    expect(statements.count).toBe(pages);
  });

  test("behavior: a digest past its time limit answers 504", async () => {
    const response = await integrityRoutes(counted as never, {
      integrityDigestPageRows: 1,
      integrityTimeoutMs: 5,
    }).request("/");
    expect(`${response.status} ${await response.text()}`).toMatchInlineSnapshot(
      `"504 {"error":{"code":"TIMEOUT","message":"The request took longer than 5 ms; narrow it, or retry later."}}"`,
    );
  });
});

describe("GET /progress", () => {
  test("behavior: a count that does not answer in time is a 504", async () => {
    // A database that never answers: only the time limit ends the request.
    const never = () => new Promise(() => {});
    const hanging = { select: () => ({ from: () => Object.assign(never(), { orderBy: never }) }) };
    const started = performance.now();
    const response = await progressRoutes(hanging as never, { requestTimeoutMs: 50 }).request("/");
    expect(`${response.status} ${await response.text()}`).toMatchInlineSnapshot(
      `"504 {"error":{"code":"TIMEOUT","message":"The request took longer than 50 ms; narrow it, or retry later."}}"`,
    );
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
