import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FACILITATOR, FACILITATOR_2, PAYEE } from "@settlescan/devnet/accounts";
import { type Devnet, startDevnet } from "@settlescan/devnet/devnet";
import { devnetProfileOf, writeProfile } from "@settlescan/devnet/profile";
import { rpc } from "@settlescan/devnet/rpc";
import { planScenario, SCENARIO_START_TIME } from "@settlescan/devnet/scenarioPlan";
import { runScenario } from "@settlescan/devnet/scenarioRun";
import { type IndexerProcess, startIndexer } from "@settlescan/indexer/test/indexerProcess.ts";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { data } from "./client";
import { startStandalone } from "./environment";

// The subscription needs chains that move: its own devnet, indexed live (no end block) by Ponder on PGlite and, for
// the standalone host, on a database of its own on the shared PostgreSQL server (Ponder's RPC cache, ponder_sync, is
// per database and keyed by chain id: another devnet's cached blocks must not be seen).
const { adminUrl } = inject("api");

type Event = {
  kind: string;
  receiptId: string;
  receipt: { id: string; state: string; payment: { id: string } | null } | null;
};

/** Subscribes over SSE and collects events until `stop` is called. */
function subscribe(graphql: string, query: string, variables: Record<string, unknown> = {}) {
  const controller = new AbortController();
  const events: Event[] = [];
  const errors: unknown[] = [];
  let connected: () => void = () => {};
  const connecting = new Promise<void>((resolve) => {
    connected = resolve;
  });
  const done = (async () => {
    const response = await fetch(graphql, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    connected();
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = message
          .split("\n")
          .filter((l) => l.startsWith("data:"))
          .map((l) => l.slice(5).trim())
          .join("");
        if (!data) continue;
        const payload = JSON.parse(data) as { data?: { receiptEvents: Event }; errors?: unknown[] };
        if (payload.errors) errors.push(...payload.errors);
        if (payload.data) events.push(payload.data.receiptEvents);
      }
    }
  })().catch((error: Error) => {
    if (error.name !== "AbortError") errors.push(error.message);
  });
  return {
    /** Resolves once the server answered, i.e. the subscription is registered with the feed. */
    connecting,
    events,
    errors,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

let devnet: Devnet;
const indexers: IndexerProcess[] = [];
const hosts: { name: string; graphql: string }[] = [];
let stopStandalone: (() => Promise<void>) | undefined;

beforeAll(async () => {
  devnet = await startDevnet({ ports: "free", timestamp: BigInt(SCENARIO_START_TIME - 3600) });
  const profile = join(mkdtempSync(join(tmpdir(), "settlescan-live-")), "profile.json");
  writeProfile(devnetProfileOf(devnet.deployment), profile);
  const schema = "live";
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database live_${process.pid}`);
  await admin.end();
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/live_${process.pid}` }).toString();
  const [pglite, postgres] = await Promise.all([
    startIndexer({ profile }),
    startIndexer({ profile, databaseUrl, schema, env: { DATABASE_VIEWS_SCHEMA: `${schema}_api` } }),
  ]);
  indexers.push(pglite, postgres);
  const ready = async (url: string) => {
    for (
      let i = 0;
      i < 480 &&
      !(await fetch(`${url}/ready`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    )
      await new Promise((r) => setTimeout(r, 250));
  };
  await Promise.all([ready(pglite.url), ready(postgres.url)]);
  const standalone = await startStandalone({ databaseUrl, env: { DATABASE_SCHEMA: `${schema}_api` } });
  stopStandalone = standalone.stop;
  hosts.push(
    { name: "ponder", graphql: `${pglite.url}/graphql` },
    { name: "standalone", graphql: `${standalone.url}/graphql` },
  );
}, 240_000);

afterAll(async () => {
  await stopStandalone?.();
  await Promise.all(indexers.map((i) => i.stop("SIGKILL")));
  await devnet?.stop();
});

describe("subscription", () => {
  test("behavior: receiptEvents streams new and changed receipts over SSE on both hosts, filters applied", async () => {
    const query = `subscription($w: ReceiptFilter) { receiptEvents(where: $w) { kind receipt { id state payment { id } } } }`;
    const all = hosts.map((h) => ({ host: h.name, ...subscribe(h.graphql, query) }));
    const verifiedOnly = subscribe(hosts[0]!.graphql, query, { w: { states: ["verified"] } });
    await Promise.all([...all, verifiedOnly].map((s) => s.connecting));
    await new Promise((r) => setTimeout(r, 1500)); // let each feed take its baseline (its first poll)

    const plan = planScenario({
      seed: "live",
      receipts: 40,
      payees: [PAYEE.address],
      facilitators: [FACILITATOR.address, FACILITATOR_2.address],
      batchSize: 10,
    });
    const manifest = await runScenario({ deployment: devnet.deployment, plan });
    const expected = new Map(
      manifest.receipts.filter((r) => r.state !== "not_settled").map((r) => [r.receiptId.toLowerCase(), r.state]),
    );

    // The last event of each receipt carries its final state.
    const finalStates = (events: Event[]) => new Map(events.map((e) => [e.receipt!.id, e.receipt!.state]));
    const deadline = Date.now() + 60_000;
    while (all.some((s) => finalStates(s.events).size < expected.size) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    await new Promise((r) => setTimeout(r, 1500)); // late changes of the last blocks
    await Promise.all([...all, verifiedOnly].map((s) => s.stop()));

    for (const s of all) {
      expect(s.errors, s.host).toEqual([]);
      expect(finalStates(s.events), s.host).toEqual(expected);
      expect(s.events.filter((e) => e.kind === "CREATED").length, s.host).toBe(expected.size);
    }
    expect(verifiedOnly.events.length).toBeGreaterThan(0);
    expect(verifiedOnly.events.every((e) => e.receipt!.state === "verified")).toBe(true);
  }, 180_000);

  test("behavior: receipts a reorg takes off the verification chain are reported REMOVED", async () => {
    const query = `subscription { receiptEvents { kind receiptId receipt { id } } }`;
    const subscribers = hosts.map((h) => ({ host: h.name, ...subscribe(h.graphql, query) }));
    await Promise.all(subscribers.map((s) => s.connecting));
    await new Promise((r) => setTimeout(r, 1500)); // each feed's baseline

    const og = devnet.deployment.chains.og.rpcUrl;
    const base = devnet.deployment.chains.base.rpcUrl;
    const latest = async (url: string) =>
      rpc<{ number: string; timestamp: string }>(url, "eth_getBlockByNumber", ["latest", false]);
    const startTime = Math.max(Number((await latest(og)).timestamp), Number((await latest(base)).timestamp)) + 120;
    const plan = planScenario({
      seed: "live-reorg",
      receipts: 16,
      startTime,
      payees: [PAYEE.address],
      facilitators: [FACILITATOR.address],
      batchSize: 4,
      spanSeconds: 300,
    });
    const manifest = await runScenario({ deployment: devnet.deployment, plan });
    const settledIds = manifest.receipts.filter((r) => r.state !== "not_settled").map((r) => r.receiptId.toLowerCase());
    const created = (s: (typeof subscribers)[number]) =>
      new Set(s.events.filter((e) => e.kind === "CREATED").map((e) => e.receiptId));
    let deadline = Date.now() + 60_000;
    while (subscribers.some((s) => settledIds.some((id) => !created(s).has(id))) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));

    // Roll "og" back to before the round's first settlement, and grow it past its old height with empty blocks.
    const blocks = await Promise.all(
      settledIds.map(async (id) => {
        const { receipt } = await data<{ receipt: { settlement: { blockNumber: number } } }>(
          { name: "ponder", url: "", graphql: hosts[0]!.graphql },
          `query($id: ID!) { receipt(id: $id) { settlement { blockNumber } } }`,
          { id },
        );
        return receipt.settlement.blockNumber;
      }),
    );
    const head = Number((await latest(og)).number);
    const depth = head - Math.min(...blocks) + 1;
    await rpc(og, "anvil_rollback", [depth]);
    await rpc(og, "anvil_mine", [`0x${(depth + 3).toString(16)}`, "0x2"]);

    const removed = (s: (typeof subscribers)[number]) =>
      new Set(s.events.filter((e) => e.kind === "REMOVED").map((e) => e.receiptId));
    deadline = Date.now() + 60_000;
    while (subscribers.some((s) => settledIds.some((id) => !removed(s).has(id))) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    await Promise.all(subscribers.map((s) => s.stop()));

    for (const s of subscribers) {
      expect(s.errors, s.host).toEqual([]);
      expect(created(s), s.host).toEqual(new Set(settledIds));
      expect(removed(s), s.host).toEqual(new Set(settledIds));
      expect(
        s.events.filter((e) => e.kind === "REMOVED").every((e) => e.receipt === null),
        s.host,
      ).toBe(true);
    }
    for (const host of hosts)
      expect(
        await data({ ...host, name: host.name as "ponder", url: "" }, `query($id: ID!) { receipt(id: $id) { id } }`, {
          id: settledIds[0],
        }),
        host.name,
      ).toEqual({ receipt: null });
  }, 240_000);

  test("args: a bad filter fails the subscription with its code", async () => {
    const s = subscribe(hosts[0]!.graphql, `subscription { receiptEvents(where: { payer: "0x1" }) { kind } }`);
    await new Promise((r) => setTimeout(r, 1000));
    await s.stop();
    expect(s.errors).toMatchInlineSnapshot(`
      [
        {
          "extensions": {
            "code": "BAD_ADDRESS",
          },
          "locations": [
            {
              "column": 16,
              "line": 1,
            },
          ],
          "message": "Payer "0x1" is not a 20-byte hex address.",
          "path": [
            "receiptEvents",
          ],
        },
      ]
    `);
  });
});
