import { readdirSync, readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { join, relative } from "node:path";
import * as tables from "@settlescan/indexer/ponder.schema.ts";
import {
  buildSchema,
  type GraphQLArgument,
  getNamedType,
  isInputObjectType,
  isObjectType,
  isScalarType,
} from "graphql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { apiRoutes } from "../../src/app";
import type { Db } from "../../src/db";
import { DEFAULT_LIMITS } from "../../src/limits";
import { startStandalone, VIEWS_SCHEMA } from "../environment";

// Issue 7, point 6: the security review, one test per claim.
const { hosts, readerUrl, adminUrl } = inject("api");
const standalone = hosts.find((h) => h.name === "standalone")!;
const API_DIR = new URL("../..", import.meta.url).pathname;

type Answer = { status: number; text: string; headers: Headers };
async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}
const codesOf = (text: string) =>
  ((JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors ?? []).map((e) => e.extensions?.code);

/** What a SQL error, a stack trace or a source path looks like in a response body. */
const LEAK =
  /syntax error at or near|relation "|column "|permission denied|\bSELECT\b|\bat \w+.* \(|\.ts:\d+|node_modules|\/work\//;

describe("no write path", () => {
  test("behavior: the schema has no Mutation type and a mutation is refused", async () => {
    const sdl = readFileSync(join(API_DIR, "schema.graphql"), "utf8");
    expect(buildSchema(sdl).getMutationType()).toBeUndefined();
    const introspection = await post(standalone.graphql, { query: "{ __schema { mutationType { name } } }" });
    expect(JSON.parse(introspection.text)).toEqual({ data: { __schema: { mutationType: null } } });
    const mutation = await post(standalone.graphql, { query: 'mutation { deleteReceipt(id: "0x1") }' });
    expect(mutation.status).toBeLessThan(500);
    expect(JSON.parse(mutation.text).data ?? null).toBeNull();
    expect(mutation.text).toMatch(/Schema is not configured to execute mutation operation|mutation/i);
  });

  test("behavior: the standalone role cannot INSERT, UPDATE, DELETE or CREATE", async () => {
    const client = new pg.Client({ connectionString: readerUrl });
    await client.connect();
    const refusal = async (statement: string) => {
      try {
        await client.query(statement);
        return "accepted";
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    try {
      const [{ id }] = (await client.query(`select id from "${VIEWS_SCHEMA}".receipt limit 1`)).rows;
      // 42501: insufficient_privilege.
      expect({
        insert: await refusal(`insert into "${VIEWS_SCHEMA}".tee (id) values ('0x00')`),
        update: await refusal(`update "${VIEWS_SCHEMA}".receipt set state = 'verified' where id = '${id}'`),
        delete: await refusal(`delete from "${VIEWS_SCHEMA}".receipt`),
        createInViews: await refusal(`create table "${VIEWS_SCHEMA}".evil (x int)`),
        createInPublic: await refusal("create table public.evil (x int)"),
        readIndexerTables: await refusal("select 1 from settlescan.receipt limit 1"),
        createSchema: await refusal("create schema evil"),
      }).toEqual({
        insert: "42501",
        update: "42501",
        delete: "42501",
        createInViews: "42501",
        createInPublic: "42501",
        readIndexerTables: "42501",
        createSchema: "42501",
      });
    } finally {
      await client.end();
    }
  });
});

describe("no SQL built from strings", () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? sources(join(dir, entry.name))
        : entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")
          ? [join(dir, entry.name)]
          : [],
    );
  const files = sources(join(API_DIR, "src")).map((path) => ({
    path: relative(API_DIR, path),
    text: readFileSync(path, "utf8"),
  }));

  test("behavior: every sql.raw() is a fixed keyword, a column picked from a constant map, or a number", () => {
    // drizzle's sql`` sends every ${…} as a parameter; only sql.raw() splices text into the statement. Each call is
    // pinned here with what it splices: adding one is a decision a reviewer sees.
    const raws = files.flatMap(({ path, text }) =>
      [...text.matchAll(/sql\.raw\(((?:[^()]|\([^()]*\))*)\)/g)].map((m) => `${path}: ${m[1]}`),
    );
    // Reviewed: "<" / ">" and ASC / DESC come from the GraphQL enum OrderDirection; the facilitator column is a
    // literal at each call; stats' and paymentStats' columns come from constant maps keyed by the StatsGroup and
    // PaymentStatsGroup enums, and stats' numbers are bigints computed by the server.
    expect(raws).toMatchInlineSnapshot(`
      [
        "src/pagination.ts: "<"",
        "src/pagination.ts: ">"",
        "src/pagination.ts: sort.direction",
        "src/schema/facilitator.ts: column",
        "src/schema/paymentStats.ts: GROUP_COLUMN[args.groupBy]",
        "src/schema/stats.ts: String(value)",
        "src/schema/stats.ts: RECEIPT_GROUP[args.groupBy]",
        "src/schema/stats.ts: \`p.\${paymentColumn}\`",
      ]
    `);
    // And nothing else builds SQL text: no sql.identifier, no string-typed queries with interpolation or concatenation.
    for (const { path, text } of files) {
      expect(text, path).not.toMatch(/sql\.identifier\(|sql\.join\([^)]*["'`]/);
      for (const call of text.matchAll(/\.(query|execute)\(\s*([`"'])([\s\S]*?)\2/g))
        expect(`${path}: ${call[3]}`, path).not.toMatch(/\$\{|["'`]\s*\+/);
    }
  });

  test("behavior: an injection through every string argument is a clean error, never a SQL error", async () => {
    const schema = buildSchema(readFileSync(join(API_DIR, "schema.graphql"), "utf8"));
    const PAYLOADS = [
      "' OR 1=1 --",
      `0x${"ab".repeat(32)}'; DROP TABLE receipt; --`,
      '"); select pg_sleep(5); --',
      "\\'\\\\",
    ];
    const isText = (arg: GraphQLArgument | { type: GraphQLArgument["type"] }) =>
      isScalarType(getNamedType(arg.type)) &&
      ["String", "ID", "DateTime", "BigInt"].includes(getNamedType(arg.type).name);
    // Required arguments other than the one under test get a valid value.
    const VALID: Record<string, string> = {
      from: '"2026-01-01T00:00:00Z"',
      to: '"2026-01-02T00:00:00Z"',
      interval: "DAY",
    };
    const cases: { name: string; query: (payload: string) => string }[] = [];
    for (const field of Object.values(schema.getQueryType()!.getFields())) {
      const selection = isObjectType(getNamedType(field.type)) ? "{ __typename }" : "";
      const others = (except: string) =>
        field.args
          .filter((a) => a.name !== except && a.name in VALID && String(a.type).endsWith("!"))
          .map((a) => `${a.name}: ${VALID[a.name]}`);
      for (const arg of field.args) {
        if (isText(arg))
          cases.push({
            name: `${field.name}(${arg.name})`,
            query: (p) =>
              `{ ${field.name}(${[`${arg.name}: ${JSON.stringify(p)}`, ...others(arg.name)].join(", ")}) ${selection} }`,
          });
        const input = getNamedType(arg.type);
        if (isInputObjectType(input))
          for (const inner of Object.values(input.getFields()).filter(isText))
            cases.push({
              name: `${field.name}(${arg.name}.${inner.name})`,
              query: (p) =>
                `{ ${field.name}(${[`${arg.name}: { ${inner.name}: ${JSON.stringify(p)} }`, ...others(arg.name)].join(", ")}) ${selection} }`,
            });
      }
    }
    expect(cases.length).toBeGreaterThan(20);
    const leaks: string[] = [];
    for (const { name, query } of cases)
      for (const payload of PAYLOADS) {
        const answer = await post(standalone.graphql, { query: query(payload) });
        const parsed = JSON.parse(answer.text) as { errors?: { message: string; extensions?: { code?: string } }[] };
        // A clean answer: no 5xx, no SQL text, and every error is one of ours (a code, not a masked internal error).
        const codes = (parsed.errors ?? []).map((e) => e.extensions?.code ?? "none");
        if (
          answer.status >= 500 ||
          LEAK.test(answer.text) ||
          codes.some((c) => c === "none" || c === "INTERNAL_SERVER_ERROR")
        )
          leaks.push(`${name} ${JSON.stringify(payload)}: ${answer.status} ${answer.text.slice(0, 200)}`);
      }
    expect(leaks).toEqual([]);
  }, 60_000);
});

describe("limits", () => {
  let limited: Awaited<ReturnType<typeof startStandalone>>;
  const RATE = 10;
  beforeAll(async () => {
    limited = await startStandalone({
      databaseUrl: readerUrl,
      env: { RATE_LIMIT_PER_MINUTE: String(RATE), CORS_ORIGINS: "https://explorer.example" },
    });
  });
  afterAll(() => limited?.stop());

  test("behavior: CORS allows the configured origins only, with the API's methods and headers", async () => {
    const preflight = (origin: string) =>
      fetch(`${limited.url}/graphql`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
    const allowed = await preflight("https://explorer.example");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://explorer.example");
    expect(allowed.headers.get("access-control-allow-headers")).toContain("content-type");
    expect(allowed.headers.get("access-control-allow-credentials")).toBeNull();
    const foreign = await preflight("https://evil.example");
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    // The shared test host has no CORS_ORIGINS, so any origin may read it: a public, read-only, credential-less API.
    const open = await fetch(standalone.graphql, { method: "OPTIONS", headers: { origin: "https://any.example" } });
    expect(open.headers.get("access-control-allow-origin")).toBe("*");
  });

  test(`behavior: more than ${RATE} requests a minute from one address are 429 RATE_LIMITED`, async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < RATE + 5; i++) answers.push(await post(`${limited.url}/graphql`, { query: "{ tees { id } }" }));
    const statuses = answers.map((a) => a.status);
    const first429 = statuses.indexOf(429);
    expect(first429).toBeGreaterThan(0);
    expect(first429).toBeLessThanOrEqual(RATE);
    expect(statuses.slice(0, first429).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(first429).every((s) => s === 429)).toBe(true);
    const refused = answers.at(-1)!;
    expect(codesOf(refused.text)).toEqual(["RATE_LIMITED"]);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(DEFAULT_LIMITS.rateLimitPerMinute).toBeGreaterThan(0);
    // A browser can read the refusal: it carries CORS headers, and exposes retry-after.
    const fromExplorer = await fetch(`${limited.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://explorer.example" },
      body: JSON.stringify({ query: "{ tees { id } }" }),
    });
    expect(fromExplorer.status).toBe(429);
    expect(fromExplorer.headers.get("access-control-allow-origin")).toBe("https://explorer.example");
    expect(fromExplorer.headers.get("access-control-expose-headers")).toContain("retry-after");
    const exported = await fetch(`${limited.url}/export/receipts.csv`, {
      headers: { origin: "https://explorer.example" },
    });
    expect(exported.status).toBe(429);
    expect(exported.headers.get("access-control-allow-origin")).toBe("https://explorer.example");
  });

  test("behavior: a body over the size limit is 413 REQUEST_TOO_LARGE", async () => {
    const big = await post(standalone.graphql, {
      query: `{ receipt(id: "${"a".repeat(DEFAULT_LIMITS.maxRequestBytes)}") { id } }`,
    });
    expect(big.status).toBe(413);
    expect(codesOf(big.text)).toEqual(["REQUEST_TOO_LARGE"]);
  });

  test("behavior: after a 413, a keep-alive client's next request still succeeds", async () => {
    // The unread rest of the body spoils the socket: the 413 must say "connection: close" so it is not reused.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: string) =>
      new Promise<{ status: number; connection?: string }>((resolve, reject) => {
        const req = request(
          standalone.graphql,
          { method: "POST", agent, headers: { "content-type": "application/json" } },
          (res) => {
            res.resume();
            res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    try {
      const refused = await send(
        JSON.stringify({ query: `{ tees { id } }`, pad: "x".repeat(5 * DEFAULT_LIMITS.maxRequestBytes) }),
      );
      expect(refused).toEqual({ status: 413, connection: "close" });
      expect(await send(JSON.stringify({ query: "{ tees { id } }" }))).toEqual({
        status: 200,
        connection: "keep-alive",
      });
    } finally {
      agent.destroy();
    }
  });

  test("behavior: a request past the time limit is cut off with 504", async () => {
    // A database that never answers; the limit is shortened so the test is quick.
    const hanging = {
      select: () => ({ from: () => ({ orderBy: () => new Promise(() => {}) }) }),
      execute: () => new Promise(() => {}),
    } as unknown as Db;
    const app = apiRoutes({ db: hanging, tables, limits: { requestTimeoutMs: 300 } });
    const started = performance.now();
    const response = await app.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ tees { id } }" }),
    });
    expect(response.status).toBe(504);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("no stack traces to clients", () => {
  const ROLE = "settlescan_half_reader";
  let broken: Awaited<ReturnType<typeof startStandalone>>;
  beforeAll(async () => {
    // A role that may read Ponder's checkpoints (so the host is ready) and nothing else: every other query fails inside.
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`
      DROP ROLE IF EXISTS ${ROLE};
      CREATE ROLE ${ROLE} LOGIN PASSWORD 'half';
      GRANT USAGE ON SCHEMA "${VIEWS_SCHEMA}" TO ${ROLE};
      GRANT SELECT ON "${VIEWS_SCHEMA}"._ponder_checkpoint TO ${ROLE};`);
    await admin.end();
    const url = new URL(readerUrl);
    url.username = ROLE;
    url.password = "half";
    broken = await startStandalone({ databaseUrl: url.toString(), env: { NODE_ENV: "production" } });
  });
  afterAll(() => broken?.stop());

  test("behavior: in production an internal error is masked, with no stack, SQL or paths", async () => {
    const answer = await post(`${broken.url}/graphql`, { query: "{ tees { id } receipts { nodes { id } } }" });
    expect(answer.status).toBeLessThan(600);
    expect(answer.text).not.toMatch(LEAK);
    expect(answer.text).not.toMatch(/stack|permission/i);
    const messages = JSON.parse(answer.text).errors.map((e: { message: string }) => e.message);
    expect(messages.length).toBeGreaterThan(0);
    expect(new Set(messages)).toEqual(new Set(["Unexpected error."]));
    const exported = await fetch(`${broken.url}/export/receipts.csv`);
    const text = await exported.text().catch((error: Error) => `(stream ended: ${error.message})`);
    expect(text).not.toMatch(LEAK);
    expect(text).not.toMatch(/stack|permission/i);
  });
});
