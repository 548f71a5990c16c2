import { describe, expect, inject, test } from "vitest";
import { errorsOf } from "./client";

// Error texts are pinned: a changed message is a visible decision. Both hosts must answer the same errors.
const { manifest } = inject("api");
const aReceipt = manifest.receipts[0]!.receiptId;

describe("errors", () => {
  test("args: invalid receipt id", async () => {
    expect(await errorsOf(`{ receipt(id: "0x12") { id } }`)).toMatchInlineSnapshot(`
      [
        "BAD_RECEIPT_ID: Receipt ID "0x12" is not a 32-byte hex string.",
      ]
    `);
  });

  test("args: invalid payment id and tx hash, and neither or both given", async () => {
    expect(await errorsOf(`{ payment(id: "nope") { id } }`)).toMatchInlineSnapshot(`
      [
        "BAD_PAYMENT_ID: Payment ID "nope" is not a 32-byte hex string.",
      ]
    `);
    expect(await errorsOf(`{ payment(txHash: "0x${"zz".repeat(32)}") { id } }`)).toMatchInlineSnapshot(`
      [
        "BAD_TX_HASH: Transaction hash "0xzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz" is not a 32-byte hex string.",
      ]
    `);
    expect(await errorsOf(`{ payment { id } }`)).toMatchInlineSnapshot(`
      [
        "BAD_ARGUMENTS: Give payment exactly one of id and txHash.",
      ]
    `);
    expect(await errorsOf(`{ settlement(txHash: "0x1", merkleRoot: "0x2") { id } }`)).toMatchInlineSnapshot(`
      [
        "BAD_ARGUMENTS: Give settlement exactly one of txHash, merkleRoot and blobId.",
      ]
    `);
    expect(await errorsOf(`{ settlement(merkleRoot: "0x2") { id } }`)).toMatchInlineSnapshot(`
      [
        "BAD_MERKLE_ROOT: Merkle root "0x2" is not a 32-byte hex string.",
      ]
    `);
  });

  test("args: invalid addresses and TEE id in filters", async () => {
    expect(await errorsOf(`{ receipts(where: { payer: "0x1234" }) { nodes { id } } }`)).toMatchInlineSnapshot(`
      [
        "BAD_ADDRESS: Payer "0x1234" is not a 20-byte hex address.",
      ]
    `);
    expect(await errorsOf(`{ payments(where: { facilitator: "bob" }) { nodes { id } } }`)).toMatchInlineSnapshot(`
      [
        "BAD_ADDRESS: Facilitator "bob" is not a 20-byte hex address.",
      ]
    `);
    expect(await errorsOf(`{ receipts(where: { teeId: "0xabc" }) { nodes { id } } }`)).toMatchInlineSnapshot(`
      [
        "BAD_TEE_ID: TEE ID "0xabc" is not a 32-byte hex string.",
      ]
    `);
    expect(await errorsOf(`{ facilitator(address: "0x") { address } }`)).toMatchInlineSnapshot(`
      [
        "BAD_ADDRESS: Facilitator "0x" is not a 20-byte hex address.",
      ]
    `);
    expect(
      await errorsOf(`{ receipts(where: { minAmount: "10", maxAmount: "5" }) { nodes { id } } }`),
    ).toMatchInlineSnapshot(`
      [
        "BAD_AMOUNT: minAmount 10 is more than maxAmount 5.",
      ]
    `);
  });

  test("args: page size and cursor", async () => {
    expect(await errorsOf(`{ receipts(first: 1001) { nodes { id } } }`)).toMatchInlineSnapshot(`
      [
        "BAD_PAGE_SIZE: Page size 1001 is not between 0 and 1000.",
      ]
    `);
    expect(await errorsOf(`{ payments(first: -1) { nodes { id } } }`)).toMatchInlineSnapshot(`
      [
        "BAD_PAGE_SIZE: Page size -1 is not between 0 and 1000.",
      ]
    `);
    expect(await errorsOf(`{ receipts(after: "not-a-cursor") { nodes { id } } }`)).toMatchInlineSnapshot(`
      [
        "BAD_CURSOR: Cursor "not-a-cursor" is not a cursor this API issued.",
      ]
    `);
    const amountCursor = Buffer.from(JSON.stringify(["AMOUNT", "5", aReceipt])).toString("base64url");
    expect(await errorsOf(`{ receipts(after: "${amountCursor}") { nodes { id } } }`)).toMatchInlineSnapshot(`
      [
        "BAD_CURSOR: Cursor "WyJBTU9VTlQiLCI1IiwiMHgyZDk1NDJhMTFhZGRlYmI4NDYxNDhjMjMwZTgzZjE3NjhkZTMyNzFhN2Zk…" belongs to an ordering by AMOUNT, not by SETTLED_AT; start again without "after".",
      ]
    `);
  });

  test("args: search query that is no key", async () => {
    expect(await errorsOf(`{ search(query: "hello") { kind } }`)).toMatchInlineSnapshot(`
      [
        "BAD_SEARCH_QUERY: Search query "hello" is not a 32-byte hex string (receipt, payment, inference, transaction, input or output hash, Merkle root or TEE), a 20-byte address, a Walrus blob id, nor a TEE gateway response body.",
      ]
    `);
  });

  test("args: stats range empty or too long", async () => {
    expect(
      await errorsOf(`{ stats(from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z", interval: DAY) { receipts } }`),
    ).toMatchInlineSnapshot(`
      [
        "BAD_TIME_RANGE: The range from 2026-01-02T00:00:00.000Z to 2026-01-01T00:00:00.000Z is empty; "to" must be after "from".",
      ]
    `);
    expect(
      await errorsOf(
        `{ stats(from: "2020-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", interval: HOUR) { receipts } }`,
      ),
    ).toMatchInlineSnapshot(`
      [
        "BAD_TIME_RANGE: The range from 2020-01-01T00:00:00.000Z to 2026-01-01T00:00:00.000Z has 52608 hour buckets; at most 2000 are allowed.",
      ]
    `);
    expect(
      await errorsOf(`{ stats(from: "yesterday", to: "2026-01-01T00:00:00Z", interval: HOUR) { receipts } }`),
    ).toMatchInlineSnapshot(`
      [
        "GRAPHQL_VALIDATION_FAILED: DateTime "yesterday" is not an ISO 8601 date-time with a time zone, e.g. "2026-01-01T00:00:00Z".",
      ]
    `);
  });

  test("limits: depth, aliases and tokens", async () => {
    const deep = `{ receipt(id: "${aReceipt}") { payment { receipts { payment { receipts { payment { receipts { payment { receipts { payment { receipts { id } } } } } } } } } } } }`;
    expect(await errorsOf(deep)).toMatchInlineSnapshot(`
      [
        "DEPTH_LIMIT: Query depth limit of 10 exceeded, found 12.",
      ]
    `);
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: _meta { now }`).join(" ");
    expect(await errorsOf(`{ ${aliases} }`)).toMatchInlineSnapshot(`
      [
        "ALIAS_LIMIT: Aliases limit of 30 exceeded, found 31.",
      ]
    `);
    const tokens = `{ receipts(first: 1) { nodes { ${Array.from({ length: 1000 }, () => "id").join(" ")} } } }`;
    expect(await errorsOf(tokens)).toMatchInlineSnapshot(`
      [
        "TOKEN_LIMIT: Token limit of 1000 exceeded.",
      ]
    `);
  });
});
