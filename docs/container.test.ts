import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

// The container image (Dockerfile, scripts/container.mjs, web/server/) checked without a Docker engine: its install
// and build steps against the commands CI runs, its entry point, and the explorer's production server for real.
const ROOT = join(import.meta.dirname, "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
/** The pinned Node 22 the workspace runs (root package.json `node`): the server's TypeScript needs type stripping. */
const NODE = join(ROOT, "node_modules", ".bin", "node");

type Instruction = { stage: string; keyword: string; args: string };

/** The Dockerfile's instructions with continuation lines joined and comments dropped, each with its stage's name. */
function dockerfileInstructions(text: string): Instruction[] {
  const lines = text
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  let stage = "";
  return lines.map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    const args = rest.join(" ");
    if (keyword!.toUpperCase() === "FROM") stage = args.match(/ AS (\S+)$/i)?.[1] ?? "";
    return { stage, keyword: keyword!.toUpperCase(), args };
  });
}

/** A RUN instruction's command, without its BuildKit flags (`--mount=…`): what a shell would run. */
const commandOf = (args: string) => args.replace(/^(--\S+\s+)+/, "");

/** The workspace packages of pnpm-workspace.yaml. */
function workspacePackages(): string[] {
  const block = read("pnpm-workspace.yaml").match(/^packages:\n((?:\s+- .+\n)+)/m)![1]!;
  return block.split("\n").flatMap((line) => line.match(/- (\S+)/)?.[1] ?? []);
}

/**
 * The commands scripts/run.mjs runs to install the workspace in CI (CI set, no pnpm 12 on PATH), read from its code:
 * the project-local pnpm, then the frozen install.
 */
function ciInstallCommands(): string[] {
  const source = read("scripts/run.mjs");
  const version = source.match(/const PNPM_VERSION = "([^"]+)";/)![1]!;
  const literal = (token: string): string =>
    token
      .trim()
      .replace(/^join\(ROOT, (.+)\)$/, (_, parts: string) => parts.split(", ").map(literal).join("/"))
      .replace(/^`pnpm@\$\{PNPM_VERSION\}`$/, `pnpm@${version}`)
      .replace(/^"([^"]*)"$/, "$1");
  const npmArgs = source.match(/run\("npm", \[(.+)\]\);/)![1]!.split(/, (?![^(]*\))/);
  const local = source
    .match(/const local = join\(ROOT, (.+)\);/)![1]!
    .split(", ")
    .map(literal)
    .join("/");
  const frozen = source
    .match(/const frozen = process\.env\.CI \? \[(.+)\] : \[\];/)![1]!
    .split(", ")
    .map(literal);
  expect(source).toContain('run(pnpm, ["install", ...frozen], { env })');
  return [`npm ${npmArgs.map(literal).join(" ")}`, `${local} install ${frozen.join(" ")}`];
}

describe("Dockerfile", () => {
  const instructions = dockerfileInstructions(read("Dockerfile"));
  const runs = (stage: string) =>
    instructions.filter((i) => i.stage === stage && i.keyword === "RUN").map((i) => commandOf(i.args));

  test("default: three stages on the Node 22 image the workspace pins", () => {
    const nodeImage = instructions.find((i) => i.keyword === "ARG" && i.args.startsWith("NODE_IMAGE="))!.args;
    expect(nodeImage).toBe("NODE_IMAGE=node:22-bookworm-slim");
    const pinned = JSON.parse(read("package.json")).devDependencies.node as string;
    expect(nodeImage.match(/node:(\d+)-/)![1]).toBe(pinned.split(".")[0]);
    expect(instructions.filter((i) => i.keyword === "FROM").map((i) => i.args)).toEqual([
      `\${NODE_IMAGE} AS deps`,
      "deps AS build",
      `\${NODE_IMAGE} AS runtime`,
    ]);
  });

  test("behavior: CI reaches the install through scripts/run.mjs, and the image installs with its very commands", () => {
    expect(read(".ci/run").trim().split("\n").at(-1)).toBe("npm test");
    expect(JSON.parse(read("package.json")).scripts.test).toBe("node scripts/run.mjs test");
    expect(ciInstallCommands()).toEqual([
      "npm install --prefix .tools --no-save pnpm@12.21.0",
      ".tools/node_modules/.bin/pnpm install --frozen-lockfile",
    ]);
    expect(runs("deps")).toEqual(ciInstallCommands());
    // run.mjs adds --frozen-lockfile only when CI is set: so is it in the image's install.
    expect(instructions).toContainEqual({ stage: "deps", keyword: "ENV", args: "CI=true" });
  });

  test("behavior: the install layer sees every manifest and nothing else", () => {
    const copies = instructions.filter((i) => i.stage === "deps" && i.keyword === "COPY").map((i) => i.args);
    expect(copies).toEqual([
      "package.json pnpm-lock.yaml pnpm-workspace.yaml ./",
      ...workspacePackages()
        .sort()
        .map((p) => `${p}/package.json ${p}/`),
    ]);
    expect(workspacePackages().sort()).toEqual(["abis", "api", "cli", "devnet", "indexer", "web"]);
  });

  test("behavior: the explorer is built by the web package's build script; the runtime only runs", () => {
    expect(runs("build")).toEqual([".tools/node_modules/.bin/pnpm --filter @settlescan/web build"]);
    const web = JSON.parse(read("web/package.json"));
    expect(web.scripts.build).toBe("vite build");
    expect(web.scripts.serve).toBe("vite build && node server/serveStatic.ts");
    expect(web.scripts.preview).toBe("vite preview");
    expect(runs("runtime").join(" ")).not.toMatch(/pnpm|npm|vite/);
    const runtime = instructions.filter((i) => i.stage === "runtime");
    expect(runtime.find((i) => i.keyword === "ENV")!.args).toContain("PONDER_TELEMETRY_DISABLED=true");
    expect(runtime.find((i) => i.keyword === "USER")!.args).toBe("node");
    expect(runtime.find((i) => i.keyword === "ENTRYPOINT")!.args).toBe('["node", "scripts/container.mjs"]');
  });

  test("behavior: the build context leaves out installs and builds, but not the checked-in generated client", () => {
    const ignored = read(".dockerignore")
      .split("\n")
      .filter((line) => line && !line.startsWith("#"));
    // Without these, `COPY . .` would lay the machine's own install or build over the image's.
    expect(ignored).toEqual(expect.arrayContaining([".git", "**/node_modules", ".tools", "**/dist", "**/.ponder"]));
    expect(ignored.indexOf("!web/src/graphql/generated")).toBeGreaterThan(ignored.indexOf("**/generated"));
  });

  test("args: the entry point names its roles when given none or an unknown one, and exits 2", () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, "scripts", "container.mjs"), ...args], { encoding: "utf8" });
    const unknown = run("explorer");
    expect([unknown.status, unknown.stdout]).toEqual([2, ""]);
    expect(unknown.stderr).toMatchInlineSnapshot(`
      "Unknown role "explorer": expected one of indexer, api, web, devnet, anvil (docs/container.md).
      "
    `);
    const none = run();
    expect(none.status).toBe(2);
    expect(none.stderr).toMatchInlineSnapshot(`
      "No role given: expected one of indexer, api, web, devnet, anvil (docs/container.md).
      "
    `);
  });
});

type Answer = { status: number; headers: IncomingHttpHeaders; body: Buffer };

/** One raw HTTP request: the path goes out as written (no URL normalization), the body comes back undecoded. */
function send(
  baseUrl: string,
  path: string,
  { method = "GET", headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  const url = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return Number(new URL(url).port);
}

/** `node scripts/container.mjs web` (the image's command) on a free port; resolves once it listens. */
async function startWebRole(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(NODE, [join(ROOT, "scripts", "container.mjs"), "web"], {
    env: { ...process.env, WEB_HOST: "127.0.0.1", WEB_PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr!.on("data", (chunk) => {
    output += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The web role did not listen within 20 s: ${output}`)), 20_000);
    child.stdout!.on("data", () => {
      if (!output.includes("forwarded to")) return;
      clearTimeout(timer);
      resolve();
    });
    child.once("exit", (code) => reject(new Error(`The web role exited (${code}): ${output}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

describe("the explorer's production server (web role)", () => {
  let outDir: string;
  /** What the stand-in API received, in order. */
  const received: { method: string; url: string; host: string; body: string }[] = [];
  const api = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      received.push({ method: req.method!, url: req.url!, host: req.headers.host!, body });
      if (req.url!.startsWith("/graphql")) {
        res.writeHead(207, { "content-type": "application/json", "x-api": "stand-in" });
        return res.end(JSON.stringify({ data: { echoed: body } }));
      }
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(Buffer.from(`blob at ${req.url}`));
    });
  });
  let apiUrl: string;
  let web: { url: string; child: ChildProcess };

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), "settlescan-web-dist-"));
    // The web package's build (Vite) into a temporary outDir, so a concurrent build of web/dist is left alone.
    const build = spawnSync(
      join(ROOT, "web", "node_modules", ".bin", "vite"),
      ["build", "--logLevel", "warn", "--outDir", outDir, "--emptyOutDir"],
      {
        cwd: join(ROOT, "web"),
        encoding: "utf8",
        env: { ...process.env, PATH: `${join(ROOT, "node_modules", ".bin")}:${process.env.PATH}` },
      },
    );
    expect(build.status, build.stderr).toBe(0);
    apiUrl = await listen(api);
    web = await startWebRole({ WEB_OUT_DIR: outDir, SETTLESCAN_API_URL: apiUrl });
  }, 180_000);

  afterAll(async () => {
    if (web) expect(await stopChild(web.child)).toBe(0);
    await new Promise((resolve) => api.close(resolve));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  test("default: / and client routes answer index.html, revalidated on every use", async () => {
    const index = readFileSync(join(outDir, "index.html"));
    for (const [path, headers] of [
      ["/", {}],
      ["/receipt/0x0123abcd", { accept: "text/html,application/xhtml+xml" }],
      ["/verify", {}],
      ["/batch/0x12.34", { accept: "text/html" }],
    ] as const) {
      const answer = await send(web.url, path, { headers });
      expect([path, answer.status, answer.headers["content-type"], answer.headers["cache-control"]]).toEqual([
        path,
        200,
        "text/html; charset=utf-8",
        "no-cache",
      ]);
      expect(answer.body.equals(index)).toBe(true);
    }
  });

  test("behavior: hashed assets are cached for good, compressed when asked, and revalidate to 304", async () => {
    const assets = readdirSync(join(outDir, "assets"));
    const script = assets.find((name) => name.startsWith("index-") && name.endsWith(".js"))!;
    const bytes = readFileSync(join(outDir, "assets", script));
    const plain = await send(web.url, `/assets/${script}`);
    expect([plain.status, plain.headers["cache-control"], plain.headers["content-type"]]).toEqual([
      200,
      "public, max-age=31536000, immutable",
      "text/javascript; charset=utf-8",
    ]);
    expect(plain.body.equals(bytes)).toBe(true);
    const br = await send(web.url, `/assets/${script}`, { headers: { "accept-encoding": "gzip, br" } });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.body.length).toBeLessThan(bytes.length / 2);
    expect(brotliDecompressSync(br.body).equals(bytes)).toBe(true);
    const gzip = await send(web.url, `/assets/${script}`, { headers: { "accept-encoding": "gzip, br;q=0" } });
    expect(gunzipSync(gzip.body).equals(bytes)).toBe(true);
    const again = await send(web.url, `/assets/${script}`, { headers: { "if-none-match": plain.headers.etag! } });
    expect([again.status, again.body.length]).toEqual([304, 0]);
    // A stale page's asset: a 404, never index.html under an immutable cache.
    const gone = await send(web.url, "/assets/index-0000000.js", { headers: { accept: "text/html" } });
    expect([gone.status, gone.headers["cache-control"]]).toEqual([404, "no-store"]);
  });

  test("behavior: /graphql, /export and /blob are forwarded with method, body, query and status", async () => {
    received.length = 0;
    const query = JSON.stringify({ query: "{ _meta { status } }" });
    const graphql = await send(web.url, "/graphql?op=meta", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: query,
    });
    expect([graphql.status, graphql.headers["x-api"], JSON.parse(graphql.body.toString())]).toEqual([
      207,
      "stand-in",
      { data: { echoed: query } },
    ]);
    const blob = await send(web.url, "/blob/x");
    expect([blob.status, blob.body.toString()]).toEqual([200, "blob at /blob/x"]);
    const exported = await send(web.url, "/export/receipts.csv?limit=2");
    expect(exported.body.toString()).toBe("blob at /export/receipts.csv?limit=2");
    // As the dev server's changeOrigin: the API sees its own host.
    const apiHost = new URL(apiUrl).host;
    expect(received).toEqual([
      { method: "POST", url: "/graphql?op=meta", host: apiHost, body: query },
      { method: "GET", url: "/blob/x", host: apiHost, body: "" },
      { method: "GET", url: "/export/receipts.csv?limit=2", host: apiHost, body: "" },
    ]);
  });

  test("behavior: paths out of the build are refused, raw or percent-encoded", async () => {
    for (const path of [
      "/../package.json",
      "/%2e%2e/package.json",
      "/..%2fpackage.json",
      "/assets/..%2F..%2Fpackage.json",
      "/..%5cpackage.json",
      "/%00index.html",
    ]) {
      const answer = await send(web.url, path, { headers: { accept: "text/html" } });
      expect([path, answer.status]).toEqual([path, 400]);
      expect(answer.body.toString()).not.toContain("@settlescan/web");
    }
    const post = await send(web.url, "/", { method: "POST", body: "{}" });
    expect([post.status, post.headers.allow]).toEqual([405, "GET, HEAD"]);
  });

  test("behavior: with the API down, its routes answer 502 and the explorer still loads", async () => {
    const dead = await startWebRole({
      WEB_OUT_DIR: outDir,
      SETTLESCAN_API_URL: `http://127.0.0.1:${await freePort()}`,
    });
    try {
      const graphql = await send(dead.url, "/graphql", { method: "POST", body: "{}" });
      expect([graphql.status, graphql.body.toString()]).toEqual([
        502,
        "The Settlescan API behind this explorer is unreachable (ECONNREFUSED).\n",
      ]);
      expect((await send(dead.url, "/")).status).toBe(200);
    } finally {
      await stopChild(dead.child);
    }
  }, 30_000);

  test("args: no build to serve, or a bad port: one line, and no server", () => {
    const run = (env: Record<string, string>) =>
      spawnSync(NODE, [join(ROOT, "scripts", "container.mjs"), "web"], {
        encoding: "utf8",
        env: { ...process.env, ...env },
      });
    const missing = run({ WEB_OUT_DIR: join(outDir, "nowhere") });
    expect(missing.status).toBe(1);
    expect(missing.stderr.replace(outDir, "<dist>")).toMatchInlineSnapshot(`
      "[explorer] No built explorer at <dist>/nowhere (index.html is missing): build it first, pnpm --filter @settlescan/web build.
      "
    `);
    const port = run({ WEB_OUT_DIR: outDir, WEB_PORT: "http" });
    expect(port.status).toBe(2);
    expect(port.stderr).toMatchInlineSnapshot(`
      "[explorer] WEB_PORT is "http", expected a port number (0 to 65535).
      "
    `);
  });
});

describe("the entry point's roles, with stand-in commands", () => {
  /** A copy of scripts/container.mjs in a temporary tree whose package binaries are the given shell scripts. */
  function standInTree(binaries: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), "settlescan-container-"));
    mkdirSync(join(root, "scripts"));
    copyFileSync(join(ROOT, "scripts", "container.mjs"), join(root, "scripts", "container.mjs"));
    for (const dir of ["devnet", "indexer", "api", "web"]) mkdirSync(join(root, dir));
    for (const [path, script] of Object.entries(binaries)) {
      mkdirSync(join(root, path, ".."), { recursive: true });
      writeFileSync(join(root, path), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    }
    return root;
  }

  test("behavior: the indexer's exit code is the container's, 75 included, with the schema and port it was given", () => {
    const root = standInTree({ "indexer/node_modules/.bin/ponder": 'echo "ponder $*"; exit 75' });
    try {
      const result = spawnSync(
        process.execPath,
        [join(root, "scripts", "container.mjs"), "indexer", "--log-level=info"],
        {
          encoding: "utf8",
          env: { ...process.env, DATABASE_SCHEMA: "s1", DATABASE_VIEWS_SCHEMA: "v1", PORT: "4321" },
        },
      );
      expect([result.status, result.stdout]).toEqual([
        75,
        "ponder start --schema s1 --views-schema v1 --port 4321 --log-level=info\n",
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("behavior: the devnet role drops the last run's files, shares the new ones, and passes SIGTERM on", async () => {
    const root = standInTree({
      // As the devnet: the deployment, then the profile last; it stops on SIGTERM.
      "node_modules/.bin/tsx": [
        'echo "tsx $*"',
        "trap 'echo \"stopped\"; exit 0' TERM",
        "printf '{\"deployment\":1}' > deployment.json",
        "sleep 0.3",
        "printf '{\"profile\":1}' > profile.json",
        "while true; do sleep 0.1; done",
      ].join("\n"),
    });
    const share = join(root, "share");
    mkdirSync(share);
    for (const dir of [share, join(root, "devnet")]) writeFileSync(join(dir, "profile.json"), '{"stale":true}');
    const child = spawn(process.execPath, [join(root, "scripts", "container.mjs"), "devnet"], {
      env: { ...process.env, DEVNET_SHARE_DIR: share },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (chunk) => {
      output += chunk;
    });
    try {
      const deadline = Date.now() + 10_000;
      while (!output.includes("shared in") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(readdirSync(share).sort()).toEqual(["deployment.json", "profile.json"]);
      expect(readFileSync(join(share, "profile.json"), "utf8")).toBe('{"profile":1}');
      expect(readFileSync(join(share, "deployment.json"), "utf8")).toBe('{"deployment":1}');
      expect(await stopChild(child)).toBe(0);
      expect(output.replace(share, "<share>")).toBe(
        "tsx src/cli.ts start\n[container] devnet profile and deployment shared in <share>\nstopped\n",
      );
    } finally {
      child.kill("SIGKILL");
      rmSync(root, { recursive: true, force: true });
    }
  }, 30_000);
});

describe("scripts/probe.mjs (the compose health check)", () => {
  test("default: 0 when the URL answers 2xx, 1 when nothing listens, 2 without a URL", async () => {
    const server = createServer((_, res) => res.end("ok"));
    const url = await listen(server);
    const probe = (...args: string[]) =>
      new Promise<number | null>((resolve) =>
        spawn(NODE, [join(ROOT, "scripts", "probe.mjs"), ...args], { stdio: "ignore" }).once("exit", resolve),
      );
    try {
      expect(await probe(`${url}/health`)).toBe(0);
      expect(await probe(`http://127.0.0.1:${await freePort()}/health`)).toBe(1);
      // An answer that is no JSON-RPC chain id is not a chain.
      expect(await probe(url, "--rpc")).toBe(1);
      expect(await probe()).toBe(2);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 30_000);
});
