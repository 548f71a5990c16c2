// The explorer's production server: the built app (Vite's outDir) from memory, with the caching a hashed build
// allows, and the API's routes forwarded as `vite preview` forwards them in development (vite.config.ts). Node's
// own modules only, so `node server/serveStatic.ts` runs it in the image without a build step or extra dependency.
import { readFile, stat } from "node:fs/promises";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { request as httpsRequest } from "node:https";
import { extname, join, resolve, sep } from "node:path";
import { pipeline } from "node:stream";
import { brotliCompress, gzip, constants as zlib } from "node:zlib";

/** Paths forwarded to the API, each with everything under it: the same three the dev server forwards. */
export const API_PATHS = ["/graphql", "/export", "/blob"] as const;

/** Vite names every file under assets/ by its content hash: a changed file is a new name, so it never goes stale. */
export const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";
/** Everything else (index.html above all: it names the current hashes) is revalidated on every use. */
export const REVALIDATE_CACHE = "no-cache";

/** A client has this long to send its whole request; a /graphql body is at most 64 kB (api/src/limits.ts). */
export const REQUEST_TIMEOUT_MS = 30_000;
/**
 * The API may stay silent this long while answering before the request ends (504 before any answer, a cut
 * connection after): above its own longest bound (a two-minute export, api/src/limits.ts), so its answer comes first.
 */
export const PROXY_IDLE_TIMEOUT_MS = 130_000;

/** Bodies smaller than this go uncompressed: the encoding would cost more than it saves. */
const MIN_COMPRESS_BYTES = 1024;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
};
const COMPRESSIBLE = /^(text\/|application\/(json|manifest\+json|wasm)|image\/svg\+xml)/;

/** Headers of one connection, not of the message: never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

type Encoding = "br" | "gzip";
type CachedFile = {
  mtimeMs: number;
  size: number;
  body: Buffer;
  type: string;
  etag: string;
  encoded: Map<Encoding, Promise<Buffer>>;
};

export type ExplorerServerOptions = {
  /** The built explorer (Vite's outDir): index.html and the hashed assets/. */
  root: string;
  /** Where /graphql, /export and /blob go: the indexer's server or the standalone API, e.g. `http://api:4000`. */
  apiUrl: string;
  /** See `PROXY_IDLE_TIMEOUT_MS`. */
  proxyIdleTimeoutMs?: number;
  /** One line per problem worth an operator's look (the API unreachable); at most one per 10 s. */
  log?: (line: string) => void;
};

/**
 * An HTTP server for the built explorer: files of `root` (index.html for client routes), and the API's routes
 * forwarded to `apiUrl`. It does not listen yet.
 * @example createExplorerServer({ root: "web/dist", apiUrl: "http://127.0.0.1:42069" }).listen(5173, "127.0.0.1")
 */
export function createExplorerServer({
  root,
  apiUrl,
  proxyIdleTimeoutMs = PROXY_IDLE_TIMEOUT_MS,
  log = (line) => console.error(line),
}: ExplorerServerOptions): Server {
  const base = parseApiUrl(apiUrl);
  const rootDir = resolve(root);
  const files = new Map<string, CachedFile>();
  let lastLog = 0;
  const warn = (line: string) => {
    if (Date.now() - lastLog < 10_000) return;
    lastLog = Date.now();
    log(line);
  };

  async function fileAt(path: string): Promise<CachedFile | undefined> {
    const full = join(rootDir, path);
    if (!full.startsWith(rootDir + sep)) return undefined;
    const info = await stat(full).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const cached = files.get(full);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
    const file: CachedFile = {
      mtimeMs: info.mtimeMs,
      size: info.size,
      body: await readFile(full),
      type: CONTENT_TYPES[extname(full).toLowerCase()] ?? "application/octet-stream",
      etag: `"${info.size.toString(16)}-${Math.trunc(info.mtimeMs).toString(16)}"`,
      encoded: new Map(),
    };
    files.set(full, file);
    return file;
  }

  async function serveFile(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== "GET" && req.method !== "HEAD")
      return sendText(res, 405, `${req.method} is not allowed here: the explorer's files answer GET and HEAD.`, {
        allow: "GET, HEAD",
      });
    const path = staticPathOf(req.url ?? "/");
    if (path === undefined) return sendText(res, 400, `The path ${JSON.stringify(req.url)} is not a file's path.`);
    const file = await fileAt(path === "/" ? "/index.html" : path);
    const isAsset = path.startsWith("/assets/");
    if (file) return sendFile(req, res, file, isAsset ? IMMUTABLE_CACHE : REVALIDATE_CACHE);
    // A missing hashed asset is a stale page asking for an old build: index.html in its place would be cached forever.
    if (isAsset || !(acceptsHtml(req) || extname(path) === ""))
      return sendText(res, 404, `Nothing at ${JSON.stringify(path)}.`);
    // A client route (/receipt/0x…, /verify): the app's page, which routes in the browser.
    const index = await fileAt("/index.html");
    if (!index) return sendText(res, 500, `The explorer is not built: ${rootDir} has no index.html.`);
    return sendFile(req, res, index, REVALIDATE_CACHE);
  }

  function forward(req: IncomingMessage, res: ServerResponse) {
    const target = new URL(`${base.pathname.replace(/\/$/, "")}${req.url ?? "/"}`, base.origin);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (value !== undefined && !hopByHopOf(req.headers).has(name)) headers[name] = value;
    // As the dev server's `changeOrigin`: the API sees its own host.
    headers.host = target.host;
    const client = req.socket.remoteAddress ?? "";
    headers["x-forwarded-for"] = req.headers["x-forwarded-for"]
      ? `${req.headers["x-forwarded-for"]}, ${client}`
      : client;
    headers["x-forwarded-host"] = req.headers.host ?? "";
    headers["x-forwarded-proto"] = "http";

    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const upstream = send(target, { method: req.method, headers });
    let timedOut = false;
    upstream.setTimeout(proxyIdleTimeoutMs, () => {
      timedOut = true;
      upstream.destroy();
    });
    upstream.on("response", (answer) => {
      const forwarded: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers))
        if (value !== undefined && !hopByHopOf(answer.headers).has(name)) forwarded[name] = value;
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, forwarded);
      pipeline(answer, res, () => {});
    });
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (res.headersSent) return res.destroy();
      const reason = timedOut
        ? `sent nothing for ${proxyIdleTimeoutMs / 1000} s`
        : `is unreachable (${error.code ?? error.message})`;
      warn(`[explorer] The API at ${base.href} ${reason}: ${req.method} ${req.url} answered ${timedOut ? 504 : 502}.`);
      sendText(res, timedOut ? 504 : 502, `The Settlescan API behind this explorer ${reason}.`);
    });
    // A client that goes away ends its request to the API too.
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    pipeline(req, upstream, () => {});
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (API_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return forward(req, res);
    serveFile(req, res).catch((error: Error) => {
      log(`[explorer] ${req.method} ${req.url} failed: ${error.message}`);
      if (!res.headersSent) sendText(res, 500, "The explorer's server failed to read a file.");
      else res.destroy();
    });
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = Math.min(server.headersTimeout, REQUEST_TIMEOUT_MS);
  // An idle socket (a client that stopped reading) is closed, but never before the proxy's own bound.
  server.setTimeout(proxyIdleTimeoutMs + 10_000);
  return server;
}

/** The API's base URL, checked: only http and https are forwarded to. */
function parseApiUrl(apiUrl: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(apiUrl);
  } catch {}
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:"))
    throw new Error(`The API URL is "${apiUrl}", expected an http(s) URL such as http://127.0.0.1:42069.`);
  return url;
}

/**
 * The decoded path of a request for a file, or undefined when it could leave the root: a `..` segment (raw or
 * percent-encoded), a backslash, a NUL, or an encoding that does not decode.
 */
export function staticPathOf(url: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(url.split("?")[0]!);
  } catch {
    return undefined;
  }
  if (!path.startsWith("/") || path.includes("\0") || path.includes("\\")) return undefined;
  if (path.split("/").some((segment) => segment === "..")) return undefined;
  return path;
}

/** Connection-level headers of a message: the standard ones and those its `Connection` header names. */
function hopByHopOf(headers: IncomingMessage["headers"]): Set<string> {
  const named = headers.connection
    ?.split(",")
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  return named?.length ? new Set([...HOP_BY_HOP, ...named]) : HOP_BY_HOP;
}

/** A browser navigating (Accept names text/html) rather than a script or image asking for a file. */
function acceptsHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? "").includes("text/html");
}

/** The best encoding the client accepts (q > 0), brotli first. */
function encodingFor(req: IncomingMessage): Encoding | undefined {
  const accepted = new Map<string, number>();
  for (const part of (req.headers["accept-encoding"] ?? "").toString().split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (name) accepted.set(name, q ? Number(q.slice(2)) : 1);
  }
  for (const encoding of ["br", "gzip"] as const) if ((accepted.get(encoding) ?? 0) > 0) return encoding;
  return undefined;
}

function encode(file: CachedFile, encoding: Encoding): Promise<Buffer> {
  let body = file.encoded.get(encoding);
  if (!body) {
    body = new Promise<Buffer>((resolve, reject) => {
      const done = (error: Error | null, result: Buffer) => (error ? reject(error) : resolve(result));
      if (encoding === "br")
        brotliCompress(
          file.body,
          { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: file.size } },
          done,
        );
      else gzip(file.body, { level: 9 }, done);
    });
    // Once per file and encoding: the build does not change while the server runs (a rebuild has new mtimes).
    file.encoded.set(encoding, body);
  }
  return body;
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: CachedFile, cacheControl: string) {
  const compressible = COMPRESSIBLE.test(file.type) && file.size >= MIN_COMPRESS_BYTES;
  const encoding = compressible ? encodingFor(req) : undefined;
  // Each encoding is its own representation, so its own validator.
  const etag = encoding ? `${file.etag.slice(0, -1)}-${encoding}"` : file.etag;
  const headers: Record<string, string> = {
    "content-type": file.type,
    "cache-control": cacheControl,
    etag,
    "x-content-type-options": "nosniff",
  };
  if (compressible) headers.vary = "accept-encoding";
  const ifNoneMatch = req.headers["if-none-match"];
  if (ifNoneMatch?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
    res.writeHead(304, headers).end();
    return;
  }
  const body = encoding ? await encode(file, encoding) : file.body;
  if (encoding) headers["content-encoding"] = encoding;
  headers["content-length"] = String(body.length);
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  res.end(`${text}\n`);
}
