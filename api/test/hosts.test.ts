import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import pg from "pg";
import { describe, expect, inject, test } from "vitest";
import { data, gql } from "./client";
import { type Host, startStandalone } from "./environment";

const { hosts, readerUrl, viewsSchema } = inject("api");
const ponder = hosts.find((h) => h.name === "ponder")!;

describe.each(hosts)("$name", (host: Host) => {
  test("behavior: a 100-receipt page with nested payment, settlement and TEE runs a bounded number of SQL statements", async () => {
    const result = await gql<{ receipts: { nodes: unknown[] } }>(
      host,
      `{ receipts(first: 100) { nodes { id payment { txHash state receipts { id } } settlement { txHash leafIndex proof
        leaf { hash } settlement { id leafCount } } tee { id totals { receipts } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.receipts.nodes).toHaveLength(100);
    // page, chain time, payments, leaves+settlements, receipts by payment, settlements, TEEs, TEE totals, and the
    // archived blobs the proofs are read from (none when this process has them cached already).
    expect(result.extensions!.sqlQueries).toBeLessThanOrEqual(9);
  });

  test("behavior: a receipt with its payment and settlement is one SQL statement (and its blob, read once)", async () => {
    const { receipts } = await data<{ receipts: { nodes: { id: string }[] } }>(
      host,
      `{ receipts(first: 1, where: { states: [verified] }) { nodes { id } } }`,
    );
    const lookup = () =>
      gql<{
        receipt: { payment: { txHash: string }; settlement: { txHash: string; proof: string[] } };
      }>(
        host,
        `query($id: ID!) { receipt(id: $id) { id state amount payment { txHash amount } settlement { txHash leafIndex proof } } }`,
        { id: receipts.nodes[0]!.id },
      );
    // The proof comes from the settlement's archived blob: read at most once per process, then cached.
    const first = await lookup();
    expect(first.errors).toBeUndefined();
    expect(first.extensions!.sqlQueries).toBeLessThanOrEqual(2);
    const result = await lookup();
    expect(result.data!.receipt.payment.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(result.data!.receipt.settlement.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(result.data!.receipt.settlement.proof).toEqual(first.data!.receipt.settlement.proof);
    expect(result.extensions!.sqlQueries).toBe(1);
  });

  test("behavior: receipts asked together (aliases) are one SQL statement, each as asked alone", async () => {
    const { receipts } = await data<{ receipts: { nodes: { id: string }[] } }>(
      host,
      `{ receipts(first: 3) { nodes { id } } }`,
    );
    const fields = "id state amount payment { txHash amount } settlement { txHash leafIndex }";
    const [a, b, c] = receipts.nodes.map((r) => r.id);
    const together = await gql<Record<string, unknown>>(
      host,
      `query($a: ID!, $b: ID!, $c: ID!) { a: receipt(id: $a) { ${fields} } b: receipt(id: $b) { ${fields} }
        c: receipt(id: $c) { ${fields} } missing: receipt(id: "0x${"0".repeat(64)}") { id } }`,
      { a, b, c },
    );
    expect(together.errors).toBeUndefined();
    expect(together.extensions!.sqlQueries).toBe(1);
    for (const [alias, id] of [
      ["a", a],
      ["b", b],
      ["c", c],
    ] as const) {
      const alone = await data<{ receipt: unknown }>(host, `query($id: ID!) { receipt(id: $id) { ${fields} } }`, {
        id,
      });
      expect(together.data![alias]).toEqual(alone.receipt);
    }
    expect(together.data!.missing).toBeNull();
  });

  test("behavior: CORS preflight is answered", async () => {
    const response = await fetch(host.graphql, {
      method: "OPTIONS",
      headers: { origin: "https://explorer.example", "access-control-request-method": "POST" },
    });
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
  });

  test("limits: a request body over the limit is refused", async () => {
    const response = await fetch(host.graphql, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ _meta { now } }`, padding: "x".repeat(70_000) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchInlineSnapshot(`
      {
        "errors": [
          {
            "extensions": {
              "code": "REQUEST_TOO_LARGE",
            },
            "message": "The request is larger than 65536 bytes.",
          },
        ],
      }
    `);
  });

  test("behavior: there is no write path (no mutation type)", async () => {
    const result = await gql(host, `mutation { x }`);
    expect(result.errors?.[0]?.message).toMatchInlineSnapshot(
      `"Schema is not configured to execute mutation operation."`,
    );
  });
});

test("behavior: Ponder's own graphql() stays reachable beside the API", async () => {
  const response = await fetch(`${ponder.url}/ponder-graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ receipts(limit: 1) { items { id state } } }" }),
  });
  const body = (await response.json()) as { data: { receipts: { items: { id: string }[] } } };
  expect(body.data.receipts.items).toHaveLength(1);
  const { receipt } = await data<{ receipt: { id: string } }>(
    ponder,
    `{ receipt(id: "${body.data.receipts.items[0]!.id}") { id } }`,
  );
  expect(receipt.id).toBe(body.data.receipts.items[0]!.id);
});

test("behavior: the standalone host's database role can read the views and nothing else", async () => {
  const client = new pg.Client({ connectionString: readerUrl });
  await client.connect();
  const refused = async (statement: string) => {
    try {
      await client.query(statement);
      return "allowed";
    } catch (error) {
      return (error as Error).message;
    }
  };
  try {
    const { rows } = await client.query(`select count(*)::int as n from "${viewsSchema}".receipt`);
    expect(rows[0].n).toBeGreaterThan(0);
    expect(await refused(`select 1 from settlescan.receipt limit 1`)).toMatch(/permission denied/);
    expect(await refused(`delete from "${viewsSchema}".receipt`)).toMatch(/permission denied/);
    expect(await refused(`update "${viewsSchema}".payment set state = 'proven'`)).toMatch(/permission denied/);
    expect(await refused(`create table "${viewsSchema}".x (id int)`)).toMatch(/permission denied/);
    expect(await refused(`create table public.x (id int)`)).toMatch(/permission denied/);
  } finally {
    await client.end();
  }
});

/** Posts a query on a connection of its own (no keep-alive), so it reaches whichever worker is alive; its status. */
function postOnNewConnection(url: string, query: string) {
  return new Promise<number>((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", agent: false, headers: { "content-type": "application/json" }, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`No answer from ${url} within 10 s.`)));
    req.on("error", reject);
    req.end(JSON.stringify({ query }));
  });
}

/** Pids of the processes whose parent is `pid`. */
function childrenOf(pid: number) {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

test("behavior: API_WORKERS=2 serves from two processes on one port, and a killed worker is replaced", async () => {
  const api = await startStandalone({ databaseUrl: readerUrl, env: { API_WORKERS: "2", RATE_LIMIT_PER_MINUTE: "0" } });
  const host: Host = { name: "standalone", url: api.url, graphql: `${api.url}/graphql` };
  try {
    const deadline = Date.now() + 30_000;
    const outputShows = async (pattern: RegExp) => {
      while (!pattern.test(api.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    };
    // /ready answers once one worker listens; the port is the other's too only when both do.
    await outputShows(/Settlescan API on .* \(2 processes\)/);
    expect(api.output()).toMatch(/Settlescan API on .* \(2 processes\)/);
    const workers = childrenOf(api.process.pid!);
    expect(workers).toHaveLength(2);
    process.kill(workers[0]!, "SIGKILL");
    // Once the primary sees the exit, new connections go to the other worker while it forks a replacement. (A
    // connection it handed over in the instant the worker died is lost with it, as with any crashed server.)
    await outputShows(/API worker 0 exited/);
    let replaced: number[] = [];
    while (Date.now() < deadline) {
      expect(await postOnNewConnection(host.graphql, "{ tees { id } }")).toBe(200);
      replaced = childrenOf(api.process.pid!);
      if (replaced.length === 2 && !replaced.includes(workers[0]!)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(replaced).toHaveLength(2);
    expect(replaced).not.toContain(workers[0]);
    expect(api.output()).toMatch(/API worker 0 exited \(SIGKILL\); starting another/);
  } finally {
    await api.stop();
  }
}, 90_000);
