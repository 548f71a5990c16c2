import type { Hex } from "viem";
import { InvalidInputError } from "./errors";
import { inferenceIdOf } from "./ids";
import { keccak256Of } from "./keccak";
import {
  dumpsPython,
  type PyDict,
  PyFloat,
  type PyInput,
  type PyValue,
  parsePythonJson,
  pyStr,
  pyTruthy,
  toPython,
} from "./pythonJson";
import { DER_TEE_ID_SINCE, type SignedContent } from "./signatureSchemes";

// What OpenGradient's TEE gateway (tee_gateway/controllers/chat_controller.py, completions_controller.py,
// llm_backend.py `canonical_user_content`, tee_manager.py `compute_tee_msg_hash`) hashes and writes, rebuilt so a
// user holding a response can recompute its hashes and inferenceId, and so the devnet gateway can answer the same way.

/** `chat` and `completion` are JSON bodies (`chat.completion`, `text_completion`); `stream` is a chat SSE stream. */
export type TeeResponseKind = "chat" | "completion" | "stream";

/** The request endpoints: `/v1/chat/completions` and `/v1/completions`. */
export type TeeRequestKind = "chat" | "completion";

/** What the enclave signs as output: the text, or the tool calls when the model called tools (then they are hashed). */
export type TeeOutput = { content: string; toolCalls?: readonly PyInput[] };

/** The proof fields of a gateway response, normalised, with the inferenceId they define. */
export type TeeFields = {
  kind: TeeResponseKind;
  /** `0x` + 64 lowercase hex: keccak256 of the enclave's DER public key. */
  teeId: Hex;
  /** `0x`-prefixed lowercase (the body carries 64 hex digits without `0x`). */
  inputHash: Hex;
  outputHash: Hex;
  /** Unix seconds, as signed. */
  timestamp: bigint;
  /** The RSA-PSS signature bytes, decoded from `signatureBase64`. */
  signature: Hex;
  signatureBase64: string;
  /** `keccak256(teeId ‖ inputHash ‖ outputHash ‖ uint256 timestamp)`. */
  inferenceId: Hex;
  model?: string;
  finishReason?: string;
  /** The text the response carries (for a stream, its deltas joined), when it carries one. */
  content?: string;
  /** The tool calls, when the response ended with `finish_reason: "tool_calls"`; then they are what was hashed. */
  toolCalls?: PyValue[];
};

/**
 * The proof fields of a gateway response: a `chat.completion` or `text_completion` body (text or parsed JSON) or a
 * streamed SSE text (its last `data:` frame with `tee_*` fields before `[DONE]`).
 * @example const { inferenceId, inputHash } = teeFieldsOf(await response.text())
 */
export function teeFieldsOf(body: string | object): TeeFields {
  const response = responseOf(body);
  const { frame } = response;
  const legacy = legacyEraOf(frame);
  if (legacy) throw new LegacyResponseError(legacy.era, legacy.message);
  const teeId = `0x${hexFieldOf(frame, "tee_id", "0x followed by 64 hex digits")}` as Hex;
  const inputHash = `0x${hexFieldOf(frame, "tee_request_hash", HASH_FORM)}` as Hex;
  const outputHash = `0x${hexFieldOf(frame, "tee_output_hash", HASH_FORM)}` as Hex;
  const timestamp = timestampFieldOf(frame);
  const signatureBase64 = frame.get("tee_signature");
  const signature = typeof signatureBase64 === "string" ? hexOfBase64(signatureBase64) : undefined;
  if (signature === undefined)
    throw responseFieldError("tee_signature", signatureBase64, "standard base64 (the RSA-PSS signature)");
  const model = frame.get("model");
  return {
    kind: response.kind,
    teeId,
    inputHash,
    outputHash,
    timestamp,
    signature,
    signatureBase64: signatureBase64 as string,
    inferenceId: inferenceIdOf({ teeId, inputHash, outputHash, timestamp }),
    ...(typeof model === "string" && { model }),
    ...(response.finishReason !== undefined && { finishReason: response.finishReason }),
    ...(response.content !== undefined && { content: response.content }),
    ...(response.toolCalls !== undefined && { toolCalls: response.toolCalls }),
  };
}

/**
 * The exact string the gateway hashes as output: `json.dumps(tool_calls, sort_keys=True)` when the model called
 * tools, else the content (a stream's deltas joined).
 */
export function outputPreimageOf({ content, toolCalls }: TeeOutput): string {
  return toolCalls !== undefined && toolCalls.length > 0 ? dumpsPython(toolCalls) : content;
}

/**
 * Recomputes `tee_output_hash` (0x-prefixed) from a response body, SSE text, `TeeFields`, or `{ content, toolCalls }`.
 * @example outputHashOf(body) === teeFieldsOf(body).outputHash // false when the content was altered
 */
export function outputHashOf(response: string | object | TeeOutput): Hex {
  const output = isTeeOutput(response) ? response : responseOf(response as string | object);
  if (output.content === undefined)
    throw new InvalidInputError(
      `Response carries no output to hash: expected "choices[0].message.content", "choices[0].text" or streamed "delta.content".`,
    );
  return keccak256Of(utf8Of(outputPreimageOf(output as TeeOutput)));
}

/**
 * The request as the gateway canonicalises it before hashing. Chat: `{model, messages (per role), temperature (float,
 * 0.0 when absent or null), max_tokens?, stop?, tools?, response_format?, web_search?}`; completion: `{model, prompt,
 * temperature (1.0 when absent, 0.0 when null), max_tokens (16 when absent, omitted when null), stop?, web_search?}`. Pass the raw JSON text to keep
 * Python's int/float distinction (`100` vs `100.0`); a parsed object's integral numbers count as ints. A `developer`
 * message is hashed as `system`, as OpenGradient's SDK sends it (the gateway itself rejects that role).
 */
export function canonicalRequestOf(requestBody: string | object, kind: TeeRequestKind): PyDict {
  const body = typeof requestBody === "string" ? parsePythonJson(requestBody) : toPython(requestBody as PyInput);
  if (!(body instanceof Map)) throw new InvalidInputError(`Request body is ${shown(body)}, expected a JSON object.`);
  if (kind === "chat") return canonicalChatRequestOf(body);
  if (kind === "completion") return canonicalCompletionRequestOf(body);
  throw new InvalidInputError(`Request kind "${String(kind)}" is not "chat" or "completion".`);
}

/**
 * `tee_request_hash` (0x-prefixed): keccak256 of `json.dumps(canonical_request, sort_keys=True)`.
 * @example inputHashOf('{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}]}', "chat")
 */
export function inputHashOf(requestBody: string | object, kind: TeeRequestKind): Hex {
  return keccak256Of(asciiOf(dumpsPython(canonicalRequestOf(requestBody, kind))));
}

/** What a gateway needs to write a signed response. */
export type TeeResponseArgs = {
  kind: TeeResponseKind;
  model: string;
  output: TeeOutput;
  /** `inputHashOf(request, …)`. */
  inputHash: Hex;
  timestamp: bigint;
  teeId: Hex;
  /** RSA-PSS signature bytes over `teeMessageOf({ inputHash, outputHash: outputHashOf(output), timestamp })`. */
  signature: Hex;
  /** Defaults to `chatcmpl-<uuid>` / `cmpl-<uuid>` (bodies only). */
  id?: string;
  usage?: { prompt_tokens: number | bigint; completion_tokens: number | bigint; total_tokens: number | bigint } | null;
  /** Stream only: the content deltas as sent; they must join to `output.content`. Defaults to one delta. */
  chunks?: readonly string[];
};

/**
 * The body the real gateway writes: JSON bodies as connexion serialises them (`json.dumps(indent=2,
 * sort_keys=True)` and a newline), streams as `data: json.dumps(frame)` events ending with `data: [DONE]`. Hashes are
 * written without `0x`, the signature in standard base64, the timestamp as an integer.
 * @example teeResponseOf({ kind: "chat", model, output: { content }, inputHash, timestamp, teeId, signature })
 */
export function teeResponseOf(args: TeeResponseArgs): string {
  const { kind, model, output, inputHash, timestamp, teeId, signature, usage } = args;
  const toolCalls = output.toolCalls !== undefined && output.toolCalls.length > 0 ? output.toolCalls : undefined;
  const finishReason = toolCalls ? "tool_calls" : "stop";
  const proof = {
    tee_signature: base64OfHex(signature),
    tee_request_hash: bareHashOf(inputHash, "Input hash"),
    tee_output_hash: outputHashOf(output).slice(2),
    tee_timestamp: timestamp,
    tee_id: `0x${bareHashOf(teeId, "TEE ID")}`,
  };
  if (kind === "completion") {
    if (toolCalls) throw new InvalidInputError("A text_completion response cannot carry tool calls.");
    const body = {
      id: args.id ?? `cmpl-${crypto.randomUUID()}`,
      object: "text_completion",
      created: timestamp,
      model,
      choices: [{ text: output.content, index: 0, finish_reason: "stop" }],
      usage: usage ?? null,
      ...proof,
    };
    return `${dumpsPython(body, { indent: 2 })}\n`;
  }
  if (kind === "chat") {
    const message = { role: "assistant", content: output.content, ...(toolCalls && { tool_calls: toolCalls }) };
    const body = {
      id: args.id ?? `chatcmpl-${crypto.randomUUID()}`,
      object: "chat.completion",
      created: timestamp,
      model,
      choices: [{ index: 0, message, finish_reason: finishReason }],
      ...proof,
      ...(usage && { usage }),
    };
    return `${dumpsPython(body, { indent: 2 })}\n`;
  }
  if (kind !== "stream")
    throw new InvalidInputError(`Response kind "${String(kind)}" is not chat, completion or stream.`);
  const chunks = args.chunks ?? (output.content === "" ? [] : [output.content]);
  if (chunks.join("") !== output.content)
    throw new InvalidInputError(`Stream chunks join to ${shown(chunks.join(""))}, not the output content.`);
  // Streamed frames are plain json.dumps: insertion order, not sorted.
  const frame = (value: PyInput) => `data: ${dumpsPython(value, { sortKeys: false })}\n\n`;
  const frames = chunks
    .filter((chunk) => chunk !== "")
    .map((chunk) =>
      frame({ choices: [{ delta: { content: chunk, role: "assistant" }, index: 0, finish_reason: null }], model }),
    );
  for (const [index, call] of (toolCalls ?? []).map(toPython).entries()) {
    const fn = call instanceof Map ? call.get("function") : undefined;
    const toolCall = {
      index,
      id: call instanceof Map ? (call.get("id") ?? null) : null,
      type: "function",
      function: {
        name: fn instanceof Map ? (fn.get("name") ?? null) : null,
        arguments: fn instanceof Map ? (fn.get("arguments") ?? null) : null,
      },
    };
    frames.push(
      frame({
        choices: [{ delta: { role: "assistant", tool_calls: [toolCall] }, index: 0, finish_reason: null }],
        model,
      }),
    );
  }
  const { tee_signature, tee_request_hash, tee_output_hash, tee_timestamp, tee_id } = proof;
  const last = {
    choices: [{ delta: {}, index: 0, finish_reason: finishReason }],
    model,
    tee_signature,
    tee_timestamp,
    tee_request_hash,
    tee_output_hash,
    tee_id,
    ...(usage && { usage }),
  };
  return `${frames.join("")}${frame(last)}data: [DONE]\n\n`;
}

// --- responses -------------------------------------------------------------------------------------------------------

const HASH_FORM = "64 hex digits (the gateway writes them without 0x)";

type Response = {
  kind: TeeResponseKind;
  /** The object that carries the tee_* fields: the body, or the stream's last frame with them. */
  frame: PyDict;
  finishReason?: string;
  content?: string;
  toolCalls?: PyValue[];
};

function responseOf(body: string | object): Response {
  if (typeof body !== "string") return bodyResponseOf(toPython(body as PyInput));
  const start = body.trimStart();
  if (start.startsWith("{")) return bodyResponseOf(parsePythonJson(body));
  if (/^(data|event|id|retry)?:/.test(start)) return streamResponseOf(body);
  throw new InvalidInputError(
    `Response body ${shown(body)} is neither a JSON object nor an SSE stream of "data:" frames.`,
  );
}

function bodyResponseOf(body: PyValue): Response {
  if (!(body instanceof Map)) throw new InvalidInputError(`Response body is ${shown(body)}, expected a JSON object.`);
  const choice = firstChoiceOf(body);
  const finish = choice?.get("finish_reason");
  const finishReason = typeof finish === "string" ? finish : undefined;
  const text = choice?.get("text");
  if (body.get("object") === "text_completion" || typeof text === "string")
    return { kind: "completion", frame: body, finishReason, ...(typeof text === "string" && { content: text }) };
  if (choice?.get("delta") instanceof Map) {
    // One stream frame on its own (e.g. a proof archived without its deltas): it carries no content of its own.
    return { kind: "stream", frame: body, finishReason };
  }
  const message = choice?.get("message");
  if (!(message instanceof Map)) return { kind: "chat", frame: body, finishReason };
  const toolCalls = message.get("tool_calls");
  return {
    kind: "chat",
    frame: body,
    finishReason,
    content: contentTextOf(message.get("content")),
    ...(finishReason === "tool_calls" && Array.isArray(toolCalls) && toolCalls.length > 0 && { toolCalls }),
  };
}

/** The message text as the gateway hashed it; a list of parts (other OpenAI-style servers) joins its texts. */
function contentTextOf(content: PyValue | undefined): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (part instanceof Map ? part.get("text") : pyStr(part)))
    .map((text) => (typeof text === "string" ? text : text === undefined ? "" : pyStr(text)))
    .join("");
}

function streamResponseOf(text: string): Response {
  const frames: PyDict[] = [];
  for (const [i, data] of sseDataOf(text).entries()) {
    if (data.trim() === "[DONE]") break;
    let frame: PyValue;
    try {
      frame = parsePythonJson(data);
    } catch (cause) {
      throw new InvalidInputError(`SSE frame ${i + 1} is not valid JSON: ${(cause as Error).message}`, { cause });
    }
    if (!(frame instanceof Map))
      throw new InvalidInputError(`SSE frame ${i + 1} is ${shown(frame)}, expected a JSON object.`);
    frames.push(frame);
  }
  const last = frames.findLastIndex((frame) => [...frame.keys()].some((key) => key.startsWith("tee_")));
  if (last < 0) {
    const error = frames.find((frame) => frame.has("error"))?.get("error");
    throw new InvalidInputError(
      error !== undefined
        ? `SSE stream has no frame with tee_* fields; it carries the error ${shown(error)}.`
        : `SSE stream has no frame with tee_* fields before [DONE] (${frames.length} frames read).`,
    );
  }
  // The gateway hashes the concatenated text deltas, or the tool calls it buffered (by index) when it ends with them.
  let content = "";
  const calls = new Map<bigint, { id: PyValue; name: PyValue; arguments: string }>();
  for (const frame of frames.slice(0, last + 1)) {
    const delta = firstChoiceOf(frame)?.get("delta");
    if (!(delta instanceof Map)) continue;
    const piece = delta.get("content");
    if (typeof piece === "string") content += piece;
    const toolCalls = delta.get("tool_calls");
    if (!Array.isArray(toolCalls)) continue;
    for (const call of toolCalls) {
      if (!(call instanceof Map)) continue;
      const index = call.get("index") ?? 0n;
      if (typeof index !== "bigint")
        throw new InvalidInputError(`Streamed tool call index ${shown(index)} is not an integer.`);
      const fn = call.get("function");
      const name = fn instanceof Map ? fn.get("name") : undefined;
      let entry = calls.get(index);
      if (!entry) {
        // A fragment without an id or name stands for LangChain's None.
        entry = { id: call.get("id") ?? null, name: name ?? null, arguments: "" };
        calls.set(index, entry);
      } else {
        if (pyTruthy(call.get("id") ?? null)) entry.id = call.get("id")!;
        if (pyTruthy(name ?? null)) entry.name = name!;
      }
      const args = fn instanceof Map ? fn.get("arguments") : undefined;
      if (typeof args === "string") entry.arguments += args;
    }
  }
  const frame = frames[last]!;
  const finish = firstChoiceOf(frame)?.get("finish_reason");
  const finishReason = typeof finish === "string" ? finish : undefined;
  const toolCalls =
    finishReason === "tool_calls" && calls.size > 0
      ? [...calls.entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(
            ([, call]): PyValue =>
              new Map<string, PyValue>([
                ["id", call.id],
                ["type", "function"],
                [
                  "function",
                  new Map<string, PyValue>([
                    ["name", call.name],
                    ["arguments", call.arguments],
                  ]),
                ],
              ]),
          )
      : undefined;
  return { kind: "stream", frame, finishReason, content, ...(toolCalls && { toolCalls }) };
}

/** The `data:` payloads of an SSE text, one per event (multi-line data joined with "\n"). */
function sseDataOf(text: string): string[] {
  const events: string[] = [];
  let data: string[] | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === "") {
      if (data) events.push(data.join("\n"));
      data = undefined;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon === 0 || (colon < 0 ? line : line.slice(0, colon)) !== "data") continue;
    const value = colon < 0 ? "" : line.slice(colon + 1);
    if (!data) data = [];
    data.push(value.startsWith(" ") ? value.slice(1) : value);
  }
  if (data) events.push(data.join("\n"));
  return events;
}

function firstChoiceOf(body: PyDict): PyDict | undefined {
  const choices = body.get("choices");
  const first = Array.isArray(choices) ? choices[0] : undefined;
  return first instanceof Map ? first : undefined;
}

function hexFieldOf(frame: PyDict, name: string, expected: string): string {
  const value = frame.get(name);
  const bare = typeof value === "string" && /^0[xX]/.test(value) ? value.slice(2) : value;
  if (typeof bare !== "string" || !/^[0-9a-fA-F]{64}$/.test(bare)) throw responseFieldError(name, value, expected);
  return bare.toLowerCase();
}

const UINT256_LIMIT = 1n << 256n;

function timestampFieldOf(frame: PyDict): bigint {
  const value = frame.get("tee_timestamp");
  if (typeof value !== "bigint" || value < 0n || value >= UINT256_LIMIT)
    throw responseFieldError("tee_timestamp", value, "an integer number of unix seconds");
  return value;
}

function responseFieldError(name: string, value: PyValue | undefined, expected: string) {
  return new InvalidInputError(
    value === undefined
      ? `Response field "${name}" is missing, expected ${expected}.`
      : `Response field "${name}" is ${shown(value)}, expected ${expected}.`,
  );
}

function isTeeOutput(value: unknown): value is TeeOutput {
  return (
    typeof value === "object" &&
    value !== null &&
    !(value instanceof Map) &&
    !Array.isArray(value) &&
    !("choices" in value) &&
    typeof (value as { content?: unknown }).content === "string"
  );
}

// --- legacy responses ------------------------------------------------------------------------------------------------

// Before 2026-03-05 responses named no enclave (tee-gateway 6ec4a7a added `tee_id`). v0 (to 2026-02-27, d6a851a):
// `tee_request_hash` is sha256 of the request JSON, `tee_timestamp` an ISO time, no `tee_output_hash`, and the
// signature covers `json.dumps({finish_reason, message, model, request_hash, timestamp}, sort_keys=True)` (streams:
// `{finish_reason, full_content, model, timestamp}`); the earliest answers carried the three values as a Python dict
// in `system_fingerprint` (`response_signature`, `request_signature`, `response_timestamp`). v1 (2026-02-27 to 03-05):
// today's hashes and message, an integer timestamp, still no `tee_id`.

/** The era of a response signed before responses named their enclave. */
export type LegacyEra = "v0" | "v1";

/** A response of a legacy era where a current one was expected; `era` says which. */
export class LegacyResponseError extends InvalidInputError {
  override name = "LegacyResponseError";
  constructor(
    readonly era: LegacyEra,
    message: string,
  ) {
    super(message);
  }
}

/** The proof fields of a legacy response, and what its signature covers. */
export type LegacyTeeFields = {
  kind: TeeResponseKind;
  era: LegacyEra;
  /** Unix seconds (v0: the ISO time, rounded down). */
  timestamp: bigint;
  /** v0: the ISO time exactly as signed. */
  timestampIso?: string;
  /** 0x-prefixed. v0: sha256 of the request JSON (streams carry none); v1: keccak256 of the canonical request. */
  inputHash?: Hex;
  /** v1 only: keccak256 of the output. */
  outputHash?: Hex;
  signature: Hex;
  signatureBase64: string;
  /** What the signature schemes rebuild the signed message from. */
  signed: SignedContent;
  model?: string;
  finishReason?: string;
  content?: string;
};

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})?$/;

/** Unix seconds (rounded down) of a Python `isoformat()` time; a time without offset is UTC (`utcnow()`). */
function secondsOfIso(text: string): bigint | undefined {
  const match = ISO_TIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, , zone] = match;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const sign = zone?.startsWith("-") ? -1 : 1;
  const offset = zone && zone !== "Z" ? sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) : 0;
  return BigInt(utc / 1000 - offset * 60);
}

/** The v0 values a `system_fingerprint` Python dict repr carries ("{'response_signature': '…', …}"). */
function fingerprintOf(frame: PyDict): Map<string, string> | undefined {
  const text = frame.get("system_fingerprint");
  if (typeof text !== "string" || !text.includes("response_signature")) return undefined;
  return new Map([...text.matchAll(/'(\w+)': '([^'\\]*)'/g)].map(([, key, value]) => [key!, value!]));
}

/** The legacy era of a response's frame with the reason it cannot define an inferenceId, or undefined for today's. */
function legacyEraOf(frame: PyDict): { era: LegacyEra; message: string } | undefined {
  const timestamp = frame.get("tee_timestamp");
  if (
    (typeof timestamp === "string" && ISO_TIME.test(timestamp)) ||
    (!frame.has("tee_signature") && fingerprintOf(frame))
  ) {
    const iso = typeof timestamp === "string" ? timestamp : fingerprintOf(frame)!.get("response_timestamp");
    return {
      era: "v0",
      message: `Response is a legacy v0 response (signed at ${iso ?? "an ISO time"}, before 2026-02-27): it carries no tee_id and no tee_output_hash, so it defines no inferenceId and no settlement can be tied to it; check its signature with the enclave's public key instead.`,
    };
  }
  if (
    !frame.has("tee_id") &&
    frame.has("tee_signature") &&
    typeof timestamp === "bigint" &&
    timestamp < DER_TEE_ID_SINCE
  )
    return {
      era: "v1",
      message: `Response carries no tee_id: it was signed at ${timestamp}, before 2026-03-05, when responses did not name their enclave (legacy v1), so it defines no inferenceId and no settlement can be tied to it; check its signature with the enclave's public key instead.`,
    };
  return undefined;
}

/**
 * The proof fields of a legacy response (before 2026-03-05: no `tee_id`), for checking its signature with a known
 * key. Throws `InvalidInputError` for a current response (use `teeFieldsOf`) or one that is not a gateway's.
 * @example const { signed, signature } = legacyTeeFieldsOf(body); await verifyWithSchemes({ publicKey, signature, content: signed })
 */
export function legacyTeeFieldsOf(body: string | object): LegacyTeeFields {
  const response = responseOf(body);
  const { frame, kind, finishReason, content } = response;
  const legacy = legacyEraOf(frame);
  if (!legacy)
    throw new InvalidInputError(
      `Response is not a legacy one: it has ${frame.has("tee_id") ? "a tee_id" : "no tee_signature"} and no ISO tee_timestamp; read it with teeFieldsOf.`,
    );
  const model = frame.get("model");
  const common = {
    kind,
    era: legacy.era,
    ...(typeof model === "string" && { model }),
    ...(finishReason !== undefined && { finishReason }),
    ...(content !== undefined && { content }),
  };
  if (legacy.era === "v1") {
    const inputHash = `0x${hexFieldOf(frame, "tee_request_hash", HASH_FORM)}` as Hex;
    const outputHash = `0x${hexFieldOf(frame, "tee_output_hash", HASH_FORM)}` as Hex;
    const timestamp = timestampFieldOf(frame);
    const { signature, signatureBase64 } = signatureFieldOf(frame, "tee_signature");
    return {
      ...common,
      timestamp,
      inputHash,
      outputHash,
      signature,
      signatureBase64,
      signed: { inputHash, outputHash, timestamp },
    };
  }
  const fingerprint = frame.has("tee_signature") ? undefined : fingerprintOf(frame);
  const fields: PyDict = fingerprint
    ? new Map([
        ["tee_signature", fingerprint.get("response_signature") ?? null],
        ["tee_request_hash", fingerprint.get("request_signature") ?? null],
        ["tee_timestamp", fingerprint.get("response_timestamp") ?? null],
      ])
    : frame;
  const timestampIso = fields.get("tee_timestamp") as string;
  const timestamp = secondsOfIso(timestampIso)!;
  const { signature, signatureBase64 } = signatureFieldOf(fields, "tee_signature");
  const requestHash = fields.get("tee_request_hash");
  const inputHash =
    requestHash === undefined && kind === "stream"
      ? undefined
      : (`0x${hexFieldOf(fields, "tee_request_hash", "64 hex digits (sha256 of the request)")}` as Hex);
  let signedJson: PyDict;
  if (kind === "stream") {
    signedJson = new Map<string, PyValue>([
      ["finish_reason", finishReason ?? null],
      ["model", typeof model === "string" ? model : null],
      ["timestamp", timestampIso],
      ["full_content", content ?? ""],
    ]);
  } else {
    const message = firstChoiceOf(frame)?.get("message");
    if (kind !== "chat" || !(message instanceof Map))
      throw new InvalidInputError(
        `Legacy v0 response has no "choices[0].message" to check: the v0 gateway signed only chat completions and streams.`,
      );
    signedJson = new Map<string, PyValue>([
      ["finish_reason", finishReason ?? "stop"],
      ["message", message],
      ["model", typeof model === "string" ? model : null],
      ["request_hash", (inputHash as Hex).slice(2)],
      ["timestamp", timestampIso],
    ]);
  }
  return {
    ...common,
    timestamp,
    timestampIso,
    ...(inputHash && { inputHash }),
    signature,
    signatureBase64,
    signed: { signedJson },
  };
}

function signatureFieldOf(frame: PyDict, name: string): { signature: Hex; signatureBase64: string } {
  const signatureBase64 = frame.get(name);
  const signature = typeof signatureBase64 === "string" ? hexOfBase64(signatureBase64) : undefined;
  if (signature === undefined)
    throw responseFieldError(name, signatureBase64, "standard base64 (the RSA-PSS signature)");
  return { signature, signatureBase64: signatureBase64 as string };
}

// --- requests --------------------------------------------------------------------------------------------------------

const MESSAGE_ROLES = '"system", "user", "assistant", "tool", "function" (or "developer", hashed as "system")';

function canonicalChatRequestOf(body: PyDict): PyDict {
  // _parse_chat_request reads `messages` with a default of [] and iterates it as Python would.
  const messagesField = body.has("messages") ? body.get("messages")! : [];
  const messages = pyIterableOf(messagesField);
  if (!messages) throw requestFieldError("messages", messagesField, "a list of messages");
  const canonical: PyDict = new Map<string, PyValue>([
    ["model", body.get("model") ?? null],
    ["messages", messages.map(canonicalMessageOf)],
    ["temperature", temperatureOf(body.get("temperature") ?? null)],
  ]);
  const maxTokens = body.get("max_tokens") ?? null;
  if (maxTokens !== null) canonical.set("max_tokens", maxTokens);
  const stop = body.get("stop") ?? null;
  if (pyTruthy(stop)) canonical.set("stop", stop);
  const tools = body.get("tools") ?? null;
  if (pyTruthy(tools)) {
    // `tools if isinstance(tools, list) else list(tools)`
    const list = pyIterableOf(tools);
    if (!list) throw requestFieldError("tools", tools, "a list of tools");
    canonical.set("tools", list);
  }
  const responseFormat = body.get("response_format") ?? null;
  if (pyTruthy(responseFormat)) {
    if (!(responseFormat instanceof Map)) throw requestFieldError("response_format", responseFormat, "a JSON object");
    canonical.set("response_format", responseFormat);
  }
  if (pyTruthy(body.get("web_search") ?? null)) canonical.set("web_search", true);
  return canonical;
}

function canonicalCompletionRequestOf(body: PyDict): PyDict {
  // CreateCompletionRequest.from_dict keeps its constructor defaults for absent keys: temperature=1, max_tokens=16.
  const canonical: PyDict = new Map<string, PyValue>([
    ["model", body.get("model") ?? null],
    ["prompt", body.get("prompt") ?? null],
    ["temperature", temperatureOf(body.has("temperature") ? body.get("temperature")! : 1n)],
  ]);
  const maxTokens = body.has("max_tokens") ? body.get("max_tokens")! : 16n;
  if (maxTokens !== null) canonical.set("max_tokens", maxTokens);
  const stop = body.get("stop") ?? null;
  if (pyTruthy(stop)) canonical.set("stop", stop);
  if (pyTruthy(body.get("web_search") ?? null)) canonical.set("web_search", true);
  return canonical;
}

/** `float(temperature) if temperature is not None else 0.0`. */
function temperatureOf(value: PyValue): PyFloat {
  if (value === null) return new PyFloat(0);
  if (value instanceof PyFloat) return value;
  // The gateway's OpenAPI schema lets only numbers through to float().
  if (typeof value !== "bigint") throw requestFieldError("temperature", value, "a number");
  const float = Number(value);
  if (!Number.isFinite(float)) throw requestFieldError("temperature", value, "a number a Python float can hold");
  return new PyFloat(float);
}

function canonicalMessageOf(message: PyValue, i: number): PyDict {
  const at = `messages[${i}]`;
  if (!(message instanceof Map)) throw requestFieldError(at, message, "a JSON object");
  const role = message.get("role") ?? null;
  // Each role's model class keeps absent attributes as None and rejects an explicit null where its setter does.
  const attribute = (key: string, type: "object" | "str", nullable: boolean): PyValue => {
    if (!message.has(key)) return null;
    const value = message.get(key)!;
    if (value === null) {
      if (nullable) return null;
      throw new InvalidInputError(`Request field "${at}.${key}" is null, which the gateway rejects; omit it instead.`);
    }
    return type === "str" ? pyStr(value) : value;
  };
  const dict = (entries: [string, PyValue][]): PyDict => new Map(entries);
  switch (role) {
    case "system":
    case "developer":
      return dict([
        ["role", "system"],
        ["content", attribute("content", "object", false)],
      ]);
    case "user":
      return dict([
        ["role", "user"],
        ["content", canonicalUserContentOf(attribute("content", "object", false), message.has("content"))],
      ]);
    case "assistant": {
      const content = message.get("content") ?? null;
      const canonical = dict([
        ["role", "assistant"],
        ["content", pyTruthy(content) ? content : ""],
      ]);
      const toolCalls = message.get("tool_calls") ?? null;
      if (!pyTruthy(toolCalls)) return canonical;
      const calls = pyIterableOf(toolCalls);
      if (!calls) throw requestFieldError(`${at}.tool_calls`, toolCalls, "a list of tool calls");
      if (calls.length > 0)
        canonical.set(
          "tool_calls",
          calls.map((call, j) => canonicalToolCallOf(call, `${at}.tool_calls[${j}]`)),
        );
      return canonical;
    }
    case "tool":
      return dict([
        ["role", "tool"],
        ["content", attribute("content", "object", false)],
        ["tool_call_id", attribute("tool_call_id", "str", false)],
      ]);
    case "function":
      return dict([
        ["role", "function"],
        ["content", attribute("content", "str", false)],
        ["name", attribute("name", "str", false)],
      ]);
    default:
      throw requestFieldError(`${at}.role`, role, `one of ${MESSAGE_ROLES}`);
  }
}

/** ChatCompletionRequestAssistantMessage.from_dict: id, type, function.name and function.arguments, absent as None. */
function canonicalToolCallOf(call: PyValue, at: string): PyDict {
  const fn = call instanceof Map && call.has("function") ? call.get("function")! : new Map<string, PyValue>();
  if (!(fn instanceof Map)) throw requestFieldError(`${at}.function`, fn, "a JSON object");
  return new Map<string, PyValue>([
    ["id", call instanceof Map ? (call.get("id") ?? null) : null],
    ["type", call instanceof Map ? (call.get("type") ?? null) : null],
    [
      "function",
      new Map<string, PyValue>([
        ["name", fn.get("name") ?? null],
        ["arguments", fn.get("arguments") ?? null],
      ]),
    ],
  ]);
}

/**
 * llm_backend.canonical_user_content: text stays; a list of parts keeps text parts and reduces every attachment to
 * `{type, filename?}` (the bytes are never hashed); anything else becomes Python's `str()` of it (absent: "None").
 */
function canonicalUserContentOf(content: PyValue, present: boolean): PyValue {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return present ? pyStr(content) : "None";
  return content.map((part): PyValue => {
    if (!(part instanceof Map))
      return new Map<string, PyValue>([
        ["type", "text"],
        ["text", pyStr(part)],
      ]);
    if (part.get("type") === "text") {
      const text = part.has("text") ? part.get("text")! : "";
      return new Map<string, PyValue>([
        ["type", "text"],
        ["text", pyTruthy(text) ? text : ""],
      ]);
    }
    const entry = new Map<string, PyValue>([["type", part.get("type") ?? null]]);
    const file = part.get("file");
    const fromFile = file instanceof Map ? (file.get("filename") ?? null) : null;
    const filename = pyTruthy(fromFile) ? fromFile : (part.get("filename") ?? null);
    if (pyTruthy(filename)) entry.set("filename", filename);
    return entry;
  });
}

/** What Python's `list(value)` gives for a JSON value: a list itself, a dict's keys, a string's characters. */
function pyIterableOf(value: PyValue): PyValue[] | undefined {
  if (Array.isArray(value)) return value;
  if (value instanceof Map) return [...value.keys()];
  if (typeof value === "string") return [...value];
  return undefined;
}

function requestFieldError(name: string, value: PyValue, expected: string) {
  return new InvalidInputError(`Request field "${name}" is ${shown(value)}, expected ${expected}.`);
}

// --- encodings -------------------------------------------------------------------------------------------------------

/** A value as the messages quote it: JSON-like, shortened. */
function shown(value: PyValue | string): string {
  const text = typeof value === "string" ? JSON.stringify(value) : dumpsPython(value, { sortKeys: false });
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

const utf8Encoder = new TextEncoder();
const utf8Of = (text: string) => utf8Encoder.encode(text);

/** Bytes of a string known to be ASCII (dumpsPython's output, with ensure_ascii). */
function asciiOf(text: string) {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function bareHashOf(hex: Hex, what: string): string {
  if (typeof hex !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(hex))
    throw new InvalidInputError(`${what} "${String(hex)}" is not a 32-byte hex string (0x followed by 64 hex digits).`);
  return hex.slice(2).toLowerCase();
}

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes standard, padded base64 (what Python's base64.b64encode writes) to hex; undefined unless it is that. */
function hexOfBase64(text: string): Hex | undefined {
  if (text.length === 0 || !STANDARD_BASE64.test(text)) return undefined;
  let hex = "0x";
  for (let i = 0; i < text.length; i += 4) {
    const sextets = [...text.slice(i, i + 4)].map((c) => (c === "=" ? -1 : BASE64_ALPHABET.indexOf(c)));
    const [a, b, c, d] = sextets as [number, number, number, number];
    const bytes = [(a << 2) | (b >> 4), c < 0 ? -1 : ((b & 15) << 4) | (c >> 2), d < 0 ? -1 : ((c & 3) << 6) | d];
    for (const byte of bytes) if (byte >= 0) hex += byte.toString(16).padStart(2, "0");
  }
  return hex as Hex;
}

function base64OfHex(hex: Hex): string {
  if (typeof hex !== "string" || !/^0x(?:[0-9a-fA-F]{2})+$/.test(hex))
    throw new InvalidInputError(`Signature "${String(hex)}" is not a non-empty hex string of whole bytes.`);
  const bytes = Array.from({ length: (hex.length - 2) / 2 }, (_, i) =>
    Number.parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16),
  );
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]];
    out += BASE64_ALPHABET[a >> 2]! + BASE64_ALPHABET[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? "=" : BASE64_ALPHABET[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? "=" : BASE64_ALPHABET[c & 63]!;
  }
  return out;
}
