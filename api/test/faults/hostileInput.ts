// Hostile requests for the API: each is what a careless or malicious client might send. The generator is seeded, so
// a failing request can be replayed from its seed and index.

/** One HTTP request to send to a host: `path` is relative to the host's base URL. */
export type HostileRequest = {
  kind: string;
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  path: string;
  headers: Record<string, string>;
  body?: string;
};

/** A small, fast, seeded PRNG (mulberry32), so a run is reproducible. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]) => items[int(items.length)]!;
  return { next, int, pick };
}

type Random = ReturnType<typeof prng>;

const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" };

const hex = (r: Random, bytes: number) =>
  `0x${Array.from({ length: bytes * 2 }, () => "0123456789abcdef"[r.int(16)]).join("")}`;

/** Strings a field expecting a hex id or address should refuse cleanly. */
function malformedString(r: Random): string {
  return r.pick([
    () => "",
    () => "0x",
    () => hex(r, 1 + r.int(40)),
    () => `${hex(r, 32)}00`,
    () => hex(r, 32).toUpperCase(),
    () => `0X${hex(r, 32).slice(2)}`,
    () => `0x${"zz".repeat(32)}`,
    () => hex(r, 20).replace("0x", ""),
    () => "' OR 1=1 --",
    () => `0x${"ab".repeat(20)}'; DROP TABLE receipt; --`,
    () => "\\x00\\u0000\\uffff",
    () => "😀".repeat(1 + r.int(200)),
    () => "%".repeat(1 + r.int(100)),
    () => "a".repeat(1 + r.int(20_000)),
    () => "$1",
    () => "null",
    () => "../../etc/passwd",
    () => `${hex(r, 32)}\n${hex(r, 32)}`,
  ])();
}

const gqlString = (value: string) => JSON.stringify(value);

/** Garbage cursors: not base64, base64 of garbage, base64 of JSON of the wrong shape. */
function forgedCursor(r: Random): string {
  const b64 = (s: string) => Buffer.from(s).toString("base64url");
  return r.pick([
    () => malformedString(r),
    () => b64(malformedString(r)),
    () => b64(JSON.stringify([r.int(1e9), hex(r, 32)])),
    () => b64(JSON.stringify({ id: "' OR 1=1 --", at: "x" })),
    () => b64(JSON.stringify(["9".repeat(400), null, {}, []])),
    () => b64("[".repeat(5000)),
    () => b64(JSON.stringify({ __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } })),
    () => Buffer.from(Array.from({ length: 64 }, () => r.int(256))).toString("base64"),
  ])();
}

const RECEIPT_FIELDS = "id state amount paymentId";

function operation(r: Random): { kind: string; query: string; variables?: unknown } {
  return r.pick([
    () => {
      // Depth bomb: a valid chain of selections, deeper than the limit.
      const depth = 8 + r.int(60);
      let inner = "id";
      for (let i = 0; i < depth; i++)
        inner =
          i % 2 === 0
            ? `payment { receipts { nodes { ${inner} } } }`
            : `settlement { leaves { receipt { ${inner} } } }`;
      return { kind: "depth bomb", query: `{ receipts(first: 1000) { nodes { ${inner} } } }` };
    },
    () => {
      // Depth bomb through fragments that spread each other.
      const n = 5 + r.int(40);
      const fragments = Array.from(
        { length: n },
        (_, i) =>
          `fragment F${i} on Receipt { payment { receipts { nodes { ${i + 1 < n ? `...F${i + 1}` : "id"} } } } }`,
      ).join("\n");
      return { kind: "fragment bomb", query: `{ receipts { nodes { ...F0 } } }\n${fragments}` };
    },
    () => {
      const n = 31 + r.int(2000);
      const id = hex(r, 32);
      const body = Array.from({ length: n }, (_, i) => `a${i}: receipt(id: "${id}") { id }`).join(" ");
      return { kind: "alias bomb", query: `{ ${body} }` };
    },
    () => {
      const n = 2 + r.int(200);
      return { kind: "field repeat", query: `{ ${"_meta { chains { name } } ".repeat(n)} }` };
    },
    () => {
      const first = r.pick(["1001", "2147483647", "-1", "0", "99999999999999999999", "1e9", "null", '"1000"', "1.5"]);
      const field = r.pick(["receipts", "payments", "settlements"]);
      return { kind: "huge first", query: `{ ${field}(first: ${first}) { nodes { id } pageInfo { endCursor } } }` };
    },
    () => ({
      kind: "forged cursor",
      query: `query($after: String) { ${r.pick(["receipts", "payments", "settlements"])}(first: ${r.pick([1, 50, 1000])}, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
      variables: { after: forgedCursor(r) },
    }),
    () => ({
      kind: "malformed id",
      query: `query($id: ID!) { receipt(id: $id) { ${RECEIPT_FIELDS} } }`,
      variables: { id: malformedString(r) },
    }),
    () => {
      const arg = r.pick(["payment(id: $s) { id }", "payment(txHash: $s) { id }", "settlement(txHash: $s) { id }"]);
      const other = r.pick([
        "settlement(merkleRoot: $s) { id }",
        "tee(id: $s) { id }",
        "facilitator(address: $s) { address }",
      ]);
      return {
        kind: "malformed lookup",
        query: `query($s: String!) { ${arg} ${r.int(2) ? other : ""} }`,
        variables: { s: malformedString(r) },
      };
    },
    () => {
      const field = r.pick(["payer", "payee", "facilitator", "teeId", "paymentId", "minAmount"]);
      return {
        kind: "malformed filter",
        query: `{ receipts(where: { ${field}: ${gqlString(malformedString(r))} }) { nodes { id } } }`,
      };
    },
    () => ({
      kind: "malformed search",
      query: `query($q: String!) { search(query: $q) { kind } }`,
      variables: { q: malformedString(r) },
    }),
    () => ({
      kind: "wrong types",
      query: r.pick([
        "{ receipt(id: 123) { id } }",
        "{ receipt(id: [1,2]) { id } }",
        '{ receipts(first: "x") { nodes { id } } }',
        "{ receipts(where: { states: [nope] }) { nodes { id } } }",
        "{ receipts(where: { from: 12 }) { nodes { id } } }",
        '{ stats(from: "yesterday", to: "today", interval: DAY) { start } }',
        '{ stats(from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", interval: YEAR) { start } }',
        "{ receipt { id } }",
        "{ nosuchfield }",
        "{ receipt(id: null) { id } }",
      ]),
    }),
    () => ({
      kind: "wrong variables",
      query: "query($id: ID!, $first: Int) { receipt(id: $id) { id } receipts(first: $first) { nodes { id } } }",
      variables: r.pick([
        { id: { $gt: "" } },
        { id: [hex(r, 32)] },
        { id: hex(r, 32), first: "all" },
        { id: null },
        "nope",
        [1],
      ]),
    }),
    () => {
      const from = r.pick([
        "1970-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z",
        "2026-01-01T00:00:00Z",
        "-271821-04-20T00:00:00Z",
        "2026-13-45T99:99:99Z",
      ]);
      const to = r.pick([
        "9999-12-31T23:59:59Z",
        "2026-01-01T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "+275760-09-13T00:00:00Z",
        "2026-02-01T00:00:00Z",
      ]);
      const interval = r.pick(["HOUR", "DAY", "WEEK"]);
      const groupBy = r.pick(["", ", groupBy: FACILITATOR", ", groupBy: PAYER", ", groupBy: PAYEE", ", groupBy: TEE"]);
      return {
        kind: "stats range",
        query: `{ stats(from: "${from}", to: "${to}", interval: ${interval}${groupBy}) { start receipts group } }`,
      };
    },
    () => ({
      kind: "mutation",
      query: r.pick(["mutation { x }", 'mutation { deleteReceipt(id: "1") }', "subscription { nope }"]),
    }),
    () => ({
      kind: "introspection",
      query: "{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }",
    }),
    () => ({
      kind: "syntax",
      query: r.pick(["{", "}}}}", "{ receipt(id: ) }", "query query query", "\u0000", "{ ...on }", "#".repeat(5000)]),
    }),
  ])();
}

/**
 * The `index`th hostile request of the run with this seed.
 * @example
 * const request = hostileRequest(42, 0); // { kind: "alias bomb", method: "POST", path: "/graphql", ... }
 */
export function hostileRequest(seed: number, index: number, maxRequestBytes = 64 * 1024): HostileRequest {
  const r = prng(seed * 1_000_003 + index);
  const roll = r.next();
  if (roll < 0.04) {
    // Oversized: above the body limit, sometimes far above.
    const size = maxRequestBytes + 1 + r.int(4 * maxRequestBytes);
    return {
      kind: "oversized body",
      method: "POST",
      path: "/graphql",
      headers: JSON_HEADERS,
      body: JSON.stringify({ query: `{ receipt(id: "${"a".repeat(size)}") { id } }` }),
    };
  }
  if (roll < 0.1) {
    const body = r.pick([
      '{"query": ',
      "[]",
      "null",
      '"{ _meta { chains { name } } }"',
      "{ _meta }",
      '{"query": 42}',
      '{"query": "{ _meta { chains { name } } }", "variables": "nope"}',
      '{"query": "{ _meta { chains { name } } }", "extensions": [1]}',
      `[${Array.from({ length: 50 }, () => '{"query":"{ tees { id } }"}').join(",")}]`,
      "\u0000\u0001\u0002",
      "{".repeat(10_000),
    ]);
    const headers = r.pick([
      JSON_HEADERS,
      { "content-type": "text/plain" },
      { "content-type": "application/graphql" },
      {} as Record<string, string>,
    ]);
    return { kind: "invalid JSON", method: "POST", path: "/graphql", headers, body };
  }
  if (roll < 0.16) {
    const params = r.pick([
      `query=${encodeURIComponent("{")}`,
      `query=${encodeURIComponent("{ _meta { chains { name } } }")}&variables=notjson`,
      `query=${encodeURIComponent("mutation { x }")}`,
      `query=${encodeURIComponent("{ tees { id } }")}&operationName=Nope`,
      `query=${encodeURIComponent(`query($id: ID!) { receipt(id: $id) { id } }`)}&variables=${encodeURIComponent(JSON.stringify({ id: malformedString(r).slice(0, 200) }))}`,
      "query=",
      "",
      "query[]=1&query[]=2",
      `query=${"%".repeat(1 + r.int(50))}`,
      `query=${encodeURIComponent(`{ ${"a: tees { id } ".repeat(100)} }`)}`,
    ]);
    return { kind: "bad GET", method: "GET", path: `/graphql?${params}`, headers: { accept: "application/json" } };
  }
  if (roll < 0.18) {
    const method = r.pick(["PUT", "DELETE", "PATCH"] as const);
    return {
      kind: "bad method",
      method,
      path: r.pick(["/graphql", "/export/receipts.csv"]),
      headers: JSON_HEADERS,
      body: "{}",
    };
  }
  if (roll < 0.22) {
    const params = r.pick([
      `payer=${encodeURIComponent(malformedString(r).slice(0, 300))}`,
      "limit=-1",
      "limit=99999999999",
      "from=notadate",
      "states=nope",
      `after=${encodeURIComponent(forgedCursor(r).slice(0, 300))}`,
    ]);
    return {
      kind: "bad export",
      method: "GET",
      path: `/export/receipts.${r.pick(["csv", "jsonl"])}?${params}`,
      headers: {},
    };
  }
  const { kind, query, variables } = operation(r);
  return { kind, method: "POST", path: "/graphql", headers: JSON_HEADERS, body: JSON.stringify({ query, variables }) };
}
