import * as tables from "@settlescan/indexer/ponder.schema.ts";
import { expect, test } from "vitest";
import type { Db } from "./db";
import { createYoga } from "./yoga";

// A database that fails every statement, as a bug or an outage would.
const failing = {
  select: () => {
    throw new Error('relation "secret_internal_table" does not exist');
  },
  execute: () =>
    Promise.reject(Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:5432"), { code: "ECONNREFUSED" })),
} as unknown as Db;

const ask = async (yoga: ReturnType<typeof createYoga>, query: string) => {
  const response = await yoga.fetch("http://api/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { errors: { message: string; extensions?: Record<string, unknown> }[] };
};

test("behavior: internal errors are masked in production", async () => {
  const yoga = createYoga({ db: failing, tables, maskedErrors: true });
  const { errors } = await ask(yoga, `{ tees { id } }`);
  expect(errors).toMatchInlineSnapshot(`
    [
      {
        "extensions": {
          "code": "INTERNAL_SERVER_ERROR",
        },
        "locations": [
          {
            "column": 3,
            "line": 1,
          },
        ],
        "message": "Unexpected error.",
        "path": [
          "tees",
        ],
      },
    ]
  `);
});

test("behavior: unmasked outside production, so a developer sees the cause", async () => {
  const yoga = createYoga({ db: failing, tables, maskedErrors: false });
  const { errors } = await ask(yoga, `{ tees { id } }`);
  expect(errors[0]!.message).toBe('relation "secret_internal_table" does not exist');
});

test("behavior: an unreachable database is a retryable DATABASE_UNAVAILABLE, masked or not", async () => {
  const yoga = createYoga({ db: failing, tables, maskedErrors: true });
  const { errors } = await ask(yoga, `{ search(query: "0x${"12".repeat(20)}") { kind } }`);
  expect(errors).toMatchInlineSnapshot(`
    [
      {
        "extensions": {
          "code": "DATABASE_UNAVAILABLE",
          "retryable": true,
        },
        "locations": [
          {
            "column": 3,
            "line": 1,
          },
        ],
        "message": "The database is unavailable; retry shortly.",
        "path": [
          "search",
        ],
      },
    ]
  `);
});

test("behavior: bad input is never masked", async () => {
  const yoga = createYoga({ db: failing, tables, maskedErrors: true });
  const { errors } = await ask(yoga, `{ receipt(id: "0x12") { id } }`);
  expect(errors).toMatchInlineSnapshot(`
    [
      {
        "extensions": {
          "code": "BAD_RECEIPT_ID",
        },
        "locations": [
          {
            "column": 3,
            "line": 1,
          },
        ],
        "message": "Receipt ID "0x12" is not a 32-byte hex string.",
        "path": [
          "receipt",
        ],
      },
    ]
  `);
});
