import { connect, type Socket } from "node:net";

/**
 * An open-loop HTTP load generator, lean so that it disturbs the measurement little: every request is serialized
 * before the clock starts, each of `connections` keep-alive sockets carries one request at a time, and requests
 * are due at a steady `rate` whatever the answers do (a request due while every socket is busy waits for one, and
 * that wait counts). Latency is measured from each request's due time, so neither a slow server nor a late
 * generator is flattered (no coordinated omission). Node's `http` client allocated several times more per request,
 * and its garbage collections delayed sends on the same two cores as the server.
 */
export type OpenLoopOptions = {
  url: URL;
  /** Request bodies (JSON); each request takes one at random. */
  bodies: string[];
  connections: number;
  /** Whether an answer is a failure (e.g. a GraphQL error in a 200). */
  isFailure: (status: number, body: Buffer) => boolean;
};

export type OpenLoopResult = {
  /** Milliseconds from each request's due time to its whole answer, in completion order. */
  latencies: number[];
  /** Milliseconds by which each request was sent after it was due (the generator's own lateness, or no free socket). */
  sendLags: number[];
  failed: number;
  firstFailure?: string;
};

type Waiting = { request: Buffer; due: number };

/**
 * One keep-alive connection: one request in flight at a time, its answer parsed just enough to know it ended. A
 * connection the server closes answers its request in flight with status 0 and is not used again.
 */
class Connection {
  readonly socket: Socket;
  closed: string | undefined;
  #chunks: Buffer[] = [];
  #length = 0;
  #onAnswer: ((status: number, body: Buffer) => void) | undefined;

  constructor(url: URL) {
    this.socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
    this.socket.on("data", (chunk: Buffer) => this.#read(chunk));
    this.socket.on("error", (error) => {
      this.closed ??= error.message;
    });
    this.socket.on("close", () => {
      this.closed ??= "the server closed the connection";
      const onAnswer = this.#onAnswer;
      this.#onAnswer = undefined;
      onAnswer?.(0, Buffer.from(this.closed));
    });
  }

  send(request: Buffer, onAnswer: (status: number, body: Buffer) => void) {
    this.#onAnswer = onAnswer;
    if (this.closed) {
      this.#onAnswer = undefined;
      onAnswer(0, Buffer.from(this.closed));
    } else this.socket.write(request);
  }

  #read(chunk: Buffer) {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    const data = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#length);
    const headEnd = data.indexOf("\r\n\r\n");
    if (headEnd < 0) return;
    const head = data.toString("latin1", 0, headEnd);
    const status = Number(head.slice(9, 12));
    const contentLength = /\r\ncontent-length: *(\d+)/i.exec(head);
    let bodyEnd: number;
    if (contentLength) bodyEnd = headEnd + 4 + Number(contentLength[1]);
    else {
      // Chunked: the answer ends with the zero-length chunk.
      const last = data.indexOf("\r\n0\r\n\r\n", headEnd);
      if (last < 0) return;
      bodyEnd = last + 7;
    }
    if (data.length < bodyEnd) {
      this.#chunks = [data];
      return;
    }
    this.#chunks = [];
    this.#length = 0;
    const onAnswer = this.#onAnswer;
    this.#onAnswer = undefined;
    onAnswer?.(status, data.subarray(headEnd + 4, bodyEnd));
  }
}

/** Serializes a JSON POST to `url` as HTTP/1.1 bytes. */
function requestBytes(url: URL, body: string) {
  const bytes = Buffer.from(body);
  const head =
    `POST ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\n` +
    `accept: application/json\r\ncontent-length: ${bytes.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), bytes]);
}

/**
 * Opens the connections (one request on each, not measured); `run` then sends `total` requests at `rate` per second.
 * @example
 * const generator = await openLoop({ url, bodies, connections: 500, isFailure });
 * const { latencies } = await generator.run({ rate: 500, total: 5000 });
 * generator.close();
 */
export async function openLoop({ url, bodies, connections, isFailure }: OpenLoopOptions) {
  const requests = bodies.map((body) => requestBytes(url, body));
  const pick = () => requests[(Math.random() * requests.length) | 0]!;
  const pool = Array.from({ length: connections }, () => new Connection(url));
  const warm = await Promise.all(
    pool.map((connection) => new Promise<number>((resolve) => connection.send(pick(), (status) => resolve(status)))),
  );
  const lost = pool.find((connection) => connection.closed);
  if (lost || warm.some((status) => status !== 200))
    throw new Error(`The open-loop generator could not open ${connections} connections: ${lost?.closed ?? warm}`);

  async function run({ rate, total }: { rate: number; total: number }): Promise<OpenLoopResult> {
    const result: OpenLoopResult = { latencies: [], sendLags: [], failed: 0 };
    // Round robin (first idle, first used): each connection carries a request every `connections / rate` seconds,
    // so none sits idle long enough for the server's keep-alive timeout to close it.
    const idle = [...pool];
    const waiting: Waiting[] = [];
    let done = 0;
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const send = (connection: Connection, { request, due }: Waiting) => {
      result.sendLags.push(performance.now() - due);
      connection.send(request, (status, body) => {
        result.latencies.push(performance.now() - due);
        if (isFailure(status, body) && result.failed++ === 0)
          result.firstFailure = `${status} ${body.toString("utf8", 0, Math.min(300, body.length))}`;
        if (!connection.closed) {
          const next = waiting.shift();
          if (next) send(connection, next);
          else idle.push(connection);
        }
        if (++done === total) finish();
      });
    };
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const connection = idle.shift();
      if (connection) send(connection, { request: pick(), due });
      else if (pool.every((c) => c.closed)) throw new Error("The open-loop generator lost every connection.");
      else waiting.push({ request: pick(), due });
    }
    await finished;
    return result;
  }

  const close = () => {
    for (const connection of pool) connection.socket.destroy();
  };
  return { run, close };
}
