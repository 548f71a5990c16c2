// `settlescan archive export`: copies every blob an index holds into a directory, one file per blob id, so that a
// new deployment can start after Walrus has dropped old blobs (its indexer reads them with SETTLESCAN_BLOB_ARCHIVE).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { isWalrusBlobId } from "@settlescan/abis";

export const ARCHIVE_USAGE = `Usage: settlescan archive export --api <Settlescan API URL> --dir <directory>

Writes each blob the index archived (settlements whose blob is available or mismatched) to <directory>/<blobId>.
Files already there are kept. Start a new indexer with SETTLESCAN_BLOB_ARCHIVE=<directory> to read them before the
Walrus aggregator.`;

/** Settlements per GraphQL page. */
const PAGE = 200;

type Io = { stdout: (text: string) => void; stderr: (text: string) => void; cwd: string };

const SETTLEMENTS = `query Blobs($after: String) {
  settlements(where: { blobStatuses: [available, mismatched] }, direction: ASC, first: ${PAGE}, after: $after) {
    nodes { blobId }
    pageInfo { hasNextPage endCursor }
  }
}`;

function parsedArgsOf(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: { api: { type: "string" }, dir: { type: "string" }, help: { type: "boolean" } },
    });
  } catch (error) {
    return error as Error;
  }
}

/** Runs `settlescan archive …`; resolves with the exit code (0 done, 2 bad input or an unreachable API). */
export async function runArchive(args: string[], io: Io): Promise<number> {
  const parsed = parsedArgsOf(args);
  if (parsed instanceof Error) {
    io.stderr(`${parsed.message}\n${ARCHIVE_USAGE}`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (values.help) {
    io.stdout(ARCHIVE_USAGE);
    return 0;
  }
  if (positionals[0] !== "export" || !values.api || !values.dir) {
    io.stderr(ARCHIVE_USAGE);
    return 2;
  }
  const api = values.api.replace(/\/+$/, "");
  const dir = resolve(io.cwd, values.dir);
  mkdirSync(dir, { recursive: true });

  const request = async (url: string, init?: RequestInit) => {
    try {
      return await fetch(url, init);
    } catch (error) {
      throw new Error(`The Settlescan API at ${url} is unreachable (${(error as Error).message}): check --api.`);
    }
  };
  let after: string | null = null;
  let written = 0;
  let kept = 0;
  try {
    for (;;) {
      const response = await request(`${api}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: SETTLEMENTS, variables: { after } }),
      });
      const body = (await response.json()) as {
        data?: {
          settlements: {
            nodes: { blobId: string | null }[];
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
          };
        };
        errors?: { message: string }[];
      };
      if (!body.data)
        throw new Error(`${api}/graphql answered ${response.status}: ${body.errors?.[0]?.message ?? "no data"}.`);
      for (const { blobId } of body.data.settlements.nodes) {
        if (!isWalrusBlobId(blobId)) continue;
        const file = join(dir, blobId);
        if (existsSync(file)) {
          kept++;
          continue;
        }
        const blob = await request(`${api}/blob/${blobId}`);
        if (!blob.ok) throw new Error(`${api}/blob/${blobId} answered ${blob.status}: ${await blob.text()}`);
        writeFileSync(file, new Uint8Array(await blob.arrayBuffer()));
        written++;
      }
      const { hasNextPage, endCursor } = body.data.settlements.pageInfo;
      if (!hasNextPage) break;
      after = endCursor;
    }
  } catch (error) {
    io.stderr((error as Error).message);
    return 2;
  }
  io.stdout(`Archived ${written} blobs in ${dir} (${kept} were there already).`);
  return 0;
}
