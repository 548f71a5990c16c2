import * as tables from "@settlescan/indexer/ponder.schema.ts";
import { expect, test } from "vitest";
import { apiRoutes } from "./app";
import type { Db } from "./db";

const app = apiRoutes({ db: {} as Db, tables, corsOrigins: ["https://explorer.example"] });
const preflight = (origin: string) =>
  app.request("/graphql", {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
  });

test("args: CORS allows only the configured origins", async () => {
  const allowed = await preflight("https://explorer.example");
  expect(allowed.headers.get("access-control-allow-origin")).toBe("https://explorer.example");
  expect(allowed.headers.get("access-control-allow-headers")).toContain("content-type");
  const other = await preflight("https://elsewhere.example");
  expect(other.headers.get("access-control-allow-origin")).toBeNull();
});

test("args: exports follow the same CORS rule", async () => {
  const response = await app.request("/export/receipts.csv?states=nope", {
    headers: { origin: "https://explorer.example" },
  });
  expect(response.status).toBe(400);
  expect(response.headers.get("access-control-allow-origin")).toBe("https://explorer.example");
});

test("args: archived blobs follow the same CORS rule", async () => {
  const response = await app.request("/blob/not-a-blob-id", { headers: { origin: "https://explorer.example" } });
  expect(response.status).toBe(400);
  expect(response.headers.get("access-control-allow-origin")).toBe("https://explorer.example");
});
