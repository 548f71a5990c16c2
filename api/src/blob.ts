import { isWalrusBlobId } from "@settlescan/abis";
import { eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import { isUnavailable, run } from "./db";
import { quoted } from "./inputs";
import { DEFAULT_LIMITS } from "./limits";
import type { YogaOptions } from "./yoga";

/** A blob id names its content (it is derived from it), so an archived blob never changes: cache it for a year. */
const IMMUTABLE = "public, max-age=31536000, immutable";

/** Whether a blob's text is one JSON value (tree dumps and individual payloads are), without keeping the parse. */
function isJson(text: string) {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * `GET /blob/:blobId`: the bytes of a Walrus blob as Settlescan archived them when it read the settlement naming it,
 * so anyone (the explorer, in the browser) can re-check a batch's inclusion from them after Walrus has dropped it.
 * 400 for a malformed id, 404 when it is not archived (not fetched yet, expired before it was, or never named),
 * 413 beyond `maxBlobBytes`; 504 past `requestTimeoutMs` (the time limit is `apiRoutes`'s).
 */
export function blobRoutes({ db, tables, limits }: Pick<YogaOptions, "db" | "tables" | "limits">) {
  const maxBytes = limits?.maxBlobBytes ?? DEFAULT_LIMITS.maxBlobBytes;
  const counter = { count: 0 };
  const b = tables.blob;
  return new Hono().get("/blob/:blobId", async (c) => {
    const blobId = c.req.param("blobId");
    if (!isWalrusBlobId(blobId))
      return c.json(
        {
          error: {
            code: "BAD_BLOB_ID",
            message: `Blob ID ${quoted(blobId)} is not a Walrus blob id (43 characters of base64url encoding 32 bytes).`,
          },
        },
        400,
      );
    let rows: { size: number; content: string | null }[];
    try {
      // The content is read only when it is within the limit, so an oversized blob never leaves the database.
      rows = await run(
        counter,
        db
          .select({
            size: b.size,
            content: sql<string | null>`case when ${b.size} <= ${maxBytes} then ${b.content} end`,
          })
          .from(b)
          .where(eq(b.id, blobId))
          .limit(1),
      );
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      return c.json(
        { error: { code: "DATABASE_UNAVAILABLE", message: "The database is unavailable; retry shortly." } },
        503,
      );
    }
    const [row] = rows;
    if (!row)
      return c.json(
        {
          error: {
            code: "BLOB_NOT_FOUND",
            message: `Blob ${quoted(blobId)} is not archived here: no indexed settlement's blob with this id has been read.`,
          },
        },
        404,
      );
    if (row.content === null)
      return c.json(
        {
          error: {
            code: "BLOB_TOO_LARGE",
            message: `Blob ${quoted(blobId)} is ${row.size} bytes, more than the ${maxBytes} this server serves.`,
          },
        },
        413,
      );
    return c.body(row.content, 200, {
      "content-type": isJson(row.content) ? "application/json" : "application/octet-stream",
      "cache-control": IMMUTABLE,
      etag: `"${blobId}"`,
    });
  });
}
