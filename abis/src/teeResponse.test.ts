import { spawnSync } from "node:child_process";
import { type Hex, keccak256, toBytes } from "viem";
import { describe, expect, test } from "vitest";
import { InvalidInputError } from "./errors";
import { inferenceIdOf } from "./ids";
import { dumpsPython } from "./pythonJson";
import { generateTeeKey, importTeePrivateKey, signInference, verifyTeeSignature } from "./tee";
import {
  canonicalRequestOf,
  inputHashOf,
  outputHashOf,
  outputPreimageOf,
  type TeeOutput,
  teeFieldsOf,
  teeResponseOf,
} from "./teeResponse";

function runPython(script: string, lines: readonly string[]): string[] {
  const run = spawnSync("python3", ["-c", script], { input: lines.join("\n"), encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.error) throw new Error(`python3 is required for the parity tests and could not run: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`python3 failed (${run.status}):\n${run.stderr}`);
  return run.stdout.split("\n").filter((line) => line !== "");
}

// The gateway's canonicalisation, transcribed from tee_gateway/controllers/chat_controller.py `_chat_request_to_dict`
// and `_parse_chat_request`, the message models' from_dict (util.deserialize_model), llm_backend.py
// `canonical_user_content` and completions_controller.py; prints json.dumps(canonical, sort_keys=True) per request.
const PYTHON_GATEWAY = `
import json, sys

def canonical_user_content(content):
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return str(content)
    canonical = []
    for part in content:
        if not isinstance(part, dict):
            canonical.append({"type": "text", "text": str(part)})
            continue
        if part.get("type") == "text":
            canonical.append({"type": "text", "text": part.get("text", "") or ""})
            continue
        entry = {"type": part.get("type")}
        file_obj = part.get("file")
        filename = (file_obj.get("filename") if isinstance(file_obj, dict) else None) or part.get("filename")
        if filename:
            entry["filename"] = filename
        canonical.append(entry)
    return canonical

def deserialize(msg, types, not_none):
    # util.deserialize_model: absent attributes stay None; str-typed ones go through str(); setters reject None.
    out = {}
    for key, kind in types.items():
        out[key] = None
        if key in msg:
            if msg[key] is None and key in not_none:
                raise ValueError("Invalid value for %s, must not be None" % key)
            out[key] = str(msg[key]) if kind is str and msg[key] is not None else msg[key]
    return out

def assistant_tool_calls(dikt):
    raw_tool_calls = dikt.get("tool_calls")
    tool_calls = None
    if raw_tool_calls:
        tool_calls = []
        for tc in raw_tool_calls:
            func_raw = tc.get("function", {}) if isinstance(tc, dict) else {}
            tool_calls.append({
                "id": tc.get("id") if isinstance(tc, dict) else None,
                "type": tc.get("type") if isinstance(tc, dict) else None,
                "function": {"name": func_raw.get("name"), "arguments": func_raw.get("arguments")},
            })
    return tool_calls

def chat_request_to_dict(body):
    messages = []
    for msg in body.get("messages", []):
        role = msg.get("role")
        if role in ("system", "developer"):  # developer: as OpenGradient's SDK sends it
            m = deserialize(msg, {"content": object}, {"content"})
            messages.append({"role": "system", "content": m["content"]})
        elif role == "user":
            m = deserialize(msg, {"content": object}, {"content"})
            messages.append({"role": "user", "content": canonical_user_content(m["content"])})
        elif role == "assistant":
            m = {"role": "assistant", "content": msg.get("content") or ""}
            tool_calls = assistant_tool_calls(msg)
            if tool_calls:
                m["tool_calls"] = tool_calls
            messages.append(m)
        elif role == "tool":
            m = deserialize(msg, {"content": object, "tool_call_id": str}, {"content", "tool_call_id"})
            messages.append({"role": "tool", "content": m["content"], "tool_call_id": m["tool_call_id"]})
        elif role == "function":
            m = deserialize(msg, {"content": str, "name": str}, {"content", "name"})
            messages.append({"role": "function", "content": m["content"], "name": m["name"]})
        else:
            raise ValueError(f"Unknown role: {role}")
    temperature = body.get("temperature")
    d = {
        "model": body.get("model"),
        "messages": messages,
        "temperature": float(temperature) if temperature is not None else 0.0,
    }
    if body.get("max_tokens") is not None:
        d["max_tokens"] = body.get("max_tokens")
    if body.get("stop"):
        d["stop"] = body.get("stop")
    tools = body.get("tools")
    if tools:
        d["tools"] = tools if isinstance(tools, list) else list(tools)
    rf = body.get("response_format")
    if rf:
        d["response_format"] = rf if isinstance(rf, dict) else vars(rf)
    if body.get("web_search", False):
        d["web_search"] = True
    return d

def completion_request_to_dict(body):
    defaults = {"model": None, "prompt": None, "max_tokens": 16, "stop": None, "temperature": 1, "web_search": False}
    b = {**defaults, **{k: v for k, v in body.items() if k in defaults}}
    d = {"model": b["model"], "prompt": b["prompt"], "temperature": float(b["temperature"]) if b["temperature"] is not None else 0.0}
    if b["max_tokens"] is not None:
        d["max_tokens"] = b["max_tokens"]
    if b["stop"]:
        d["stop"] = b["stop"]
    if bool(b["web_search"]):
        d["web_search"] = True
    return d

for raw in sys.stdin.buffer.read().split(b"\\n"):
    if not raw:
        continue
    case = json.loads(raw.decode("utf-8"))
    body = json.loads(case["body"])
    try:
        canonical = (chat_request_to_dict if case["kind"] == "chat" else completion_request_to_dict)(body)
        print(json.dumps(json.dumps(canonical, sort_keys=True)))
    except (ValueError, TypeError, AttributeError) as error:
        print(json.dumps("rejected: " + type(error).__name__))
`;

// For each {mode, text}: the text re-serialised by Python as the gateway writes it.
const PYTHON_FORMATS = `
import json, sys
for raw in sys.stdin.buffer.read().split(b"\\n"):
    if raw:
        case = json.loads(raw.decode("utf-8"))
        value = json.loads(case["text"])
        if case["mode"] == "body":
            out = json.dumps(value, indent=2, sort_keys=True) + "\\n"
        elif case["mode"] == "frame":
            out = json.dumps(value)
        else:
            out = json.dumps(value, sort_keys=True)
        print(json.dumps(out))
`;

const pythonFormats = (cases: readonly { mode: "body" | "frame" | "sorted"; text: string }[]) =>
  runPython(
    PYTHON_FORMATS,
    cases.map((c) => JSON.stringify(c)),
  ).map((line) => JSON.parse(line) as string);

const CHAT_REQUESTS = [
  `{"model":"gpt-4.1","messages":[{"role":"system","content":"Tu es un assistant concis."},{"role":"user","content":"Bonjour ! Ça va ? 😊"}],"temperature":0.7}`,
  String.raw`{"model": "anthropic/claude-sonnet-4-5", "messages": [{"role": "developer", "content": "Réponds en JSON."}, {"role": "user", "content": "\u4e2d\u6587 \ud83d\ude80 and \"quotes\" \\ back\nslash"}], "temperature": 1, "max_tokens": 256, "stop": ["\n\n", "END"], "top_p": 0.9, "n": 1, "stream": true, "tool_choice": "auto", "user": "u-1",
    "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Météo", "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer", "maximum": 16.0}, "😀": {"type": "number"}, "\uffff": {}}, "required": ["city"]}}}],
    "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "schema": {"type": "object"}, "strict": true}}, "web_search": true}`,
  String.raw`{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"weather?"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\": \"Z\\u00fcrich\"}"}},{"function":{"name":"noop"}},"odd"]},{"role":"tool","content":"{\"temp\": 21.5}","tool_call_id":42},{"role":"function","content":3.0,"name":"legacy"},{"role":"assistant","content":"","tool_calls":[]},{"role":"system"}],"temperature":1e-05,"max_tokens":100.0}`,
  `{"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"text","text":"What is in this image?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}},{"type":"file","file":{"filename":"report.pdf","file_data":"data:application/pdf;base64,JVBERi0x"}},{"type":"input_file","filename":"notes.txt","file_data":"aGk="},{"type":"file","file":{"file_id":"file-abc"}},{"type":"file","file":{"filename":""},"filename":null},{"type":"image","file":"x.png","filename":0},{"type":"text","text":null},{"type":"text"},7,["nested", 1.5],null,"plain"]}],"temperature":null}`,
  `{"model":"gpt-4o","messages":[{"role":"user","content":{"type":"text","text":"it's a dict"}},{"role":"user"},{"role":"user","content":5},{"role":"user","content":true},{"role":"user","content":[]}],"max_tokens":null,"stop":"","tools":{"get_weather":{},"noop":{}},"web_search":0,"response_format":{}}`,
  `{"model":"x-ai/grok-4","messages":[],"temperature":0,"max_tokens":18446744073709551617,"stop":0,"tools":[],"web_search":"yes"}`,
  `{"messages":{}}`,
  // The gateway rejects these (the model classes' setters, an unknown role): no response can carry their hash.
  `{"model":"m","messages":[{"role":"user","content":null}]}`,
  `{"model":"m","messages":[{"role":"robot","content":"hi"}]}`,
  `{"model":"m","messages":[{"role":"tool","content":"x","tool_call_id":null}]}`,
  `{"model":"m","messages":[{"role":"assistant","tool_calls":[{"function":null}]}]}`,
  `{"model":"m","messages":"hi"}`,
  `{"model":"m","messages":[],"response_format":"json"}`,
];

const COMPLETION_REQUESTS = [
  `{"model":"gpt-4.1-mini","prompt":"Say ¡hola! in one word"}`,
  `{"model":"gpt-4.1-mini","prompt":["a","b"],"temperature":null,"max_tokens":null,"stop":["."],"web_search":true,"echo":true}`,
  `{"model":"gpt-4.1-mini","prompt":"x","temperature":0.30000000000000004,"max_tokens":64,"stop":[],"web_search":null}`,
];

describe("inputHashOf parity with python3", () => {
  const cases = [
    ...CHAT_REQUESTS.map((body) => ({ kind: "chat" as const, body })),
    ...COMPLETION_REQUESTS.map((body) => ({ kind: "completion" as const, body })),
  ];
  const python = runPython(
    PYTHON_GATEWAY,
    cases.map((c) => JSON.stringify(c)),
  ).map((line) => JSON.parse(line) as string);

  test("default: the canonical request is byte-identical to the gateway's json.dumps(sort_keys=True)", () => {
    expect(python.length).toBe(cases.length);
    const results = cases.map(({ kind, body }, i) => {
      let ours: string;
      try {
        ours = dumpsPython(canonicalRequestOf(body, kind));
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        ours = "rejected";
      }
      return { body, python: python[i]!.startsWith("rejected") ? "rejected" : python[i], ours };
    });
    expect(results.filter(({ python, ours }) => python !== ours)).toEqual([]);
    expect(results.filter(({ ours }) => ours === "rejected").length).toBe(6);
  });

  test("default: inputHashOf is keccak256 of python3's bytes", () => {
    for (const [i, { kind, body }] of cases.entries()) {
      if (python[i]!.startsWith("rejected")) continue;
      expect(inputHashOf(body, kind)).toBe(keccak256(toBytes(python[i]!)));
    }
  });

  test("default: a known request", () => {
    expect(inputHashOf(CHAT_REQUESTS[0]!, "chat")).toBe(
      "0x05ef6138cfa6603689bdf936e77edede2e8dbd6f73a1de02d4a1ff08240da221",
    );
    expect(dumpsPython(canonicalRequestOf(COMPLETION_REQUESTS[0]!, "completion"))).toMatchInlineSnapshot(
      `"{"max_tokens": 16, "model": "gpt-4.1-mini", "prompt": "Say \\u00a1hola! in one word", "temperature": 1.0}"`,
    );
  });

  test("behavior: a parsed object hashes as its JSON text when its numbers are unambiguous", () => {
    const body = JSON.parse(CHAT_REQUESTS[0]!) as object;
    expect(inputHashOf(body, "chat")).toBe(inputHashOf(CHAT_REQUESTS[0]!, "chat"));
    // max_tokens 100.0 is a Python float: only the text keeps it.
    expect(inputHashOf(JSON.parse(CHAT_REQUESTS[2]!) as object, "chat")).not.toBe(
      inputHashOf(CHAT_REQUESTS[2]!, "chat"),
    );
  });

  test("behavior: fields the gateway does not commit to do not change the hash", () => {
    const base = { model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] };
    const hash = inputHashOf(base, "chat");
    expect(inputHashOf({ ...base, top_p: 0.1, tool_choice: "none", stream: true, n: 3, seed: 7 }, "chat")).toBe(hash);
    expect(inputHashOf({ ...base, temperature: 0 }, "chat")).toBe(hash);
    expect(inputHashOf({ ...base, temperature: 0.5 }, "chat")).not.toBe(hash);
    expect(inputHashOf({ ...base, messages: [{ role: "user", content: "hi!" }] }, "chat")).not.toBe(hash);
  });

  test("args: requests the gateway rejects", () => {
    const errorOf = (body: string | object, kind: "chat" | "completion" = "chat") => {
      try {
        canonicalRequestOf(body, kind);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    expect(errorOf(CHAT_REQUESTS[7]!)).toMatchInlineSnapshot(
      `"Request field "messages[0].content" is null, which the gateway rejects; omit it instead."`,
    );
    expect(errorOf(CHAT_REQUESTS[8]!)).toMatchInlineSnapshot(
      `"Request field "messages[0].role" is "robot", expected one of "system", "user", "assistant", "tool", "function" (or "developer", hashed as "system")."`,
    );
    expect(errorOf(CHAT_REQUESTS[10]!)).toMatchInlineSnapshot(
      `"Request field "messages[0].tool_calls[0].function" is null, expected a JSON object."`,
    );
    expect(errorOf(CHAT_REQUESTS[11]!)).toMatchInlineSnapshot(
      `"Request field "messages[0]" is "h", expected a JSON object."`,
    );
    expect(errorOf(CHAT_REQUESTS[12]!)).toMatchInlineSnapshot(
      `"Request field "response_format" is "json", expected a JSON object."`,
    );
    expect(errorOf({ model: "m", messages: 3 })).toMatchInlineSnapshot(
      `"Request field "messages" is 3, expected a list of messages."`,
    );
    expect(errorOf({ model: "m", messages: [], temperature: "0.5" })).toMatchInlineSnapshot(
      `"Request field "temperature" is "0.5", expected a number."`,
    );
    expect(errorOf(`{"model":"m","prompt":"p","temperature":${"9".repeat(400)}}`, "completion")).toMatchInlineSnapshot(
      `"Request field "temperature" is 99999999999999999999999999999999999999999999999999999999999999999999999999999…, expected a number a Python float can hold."`,
    );
    expect(errorOf("[1]")).toMatchInlineSnapshot(`"Request body is [1], expected a JSON object."`);
    expect(errorOf({}, "embedding" as "chat")).toMatchInlineSnapshot(
      `"Request kind "embedding" is not "chat" or "completion"."`,
    );
  });
});

// --- responses -------------------------------------------------------------------------------------------------------

const TEE_ID = "0x29db3ec4bae022b3ca192d2aa1408d69bf3e347db8e64b0f06a25b6616c77a5f";
const SIGNATURE_BASE64 =
  "CzBVep/E6Q4zWH2ix+wRNluApcrvFDleg6jN8hc8YYar0PUaP2SJrtP4HUJnjLHW+yBFao+02f4jSG2St9wBJktwlbrfBClOc5i94gcsUXabwOUKL1R5nsPoDTJXfKHG6xA1Wn+kye4TOF2Cp8zxFjtgharP9Bk+Y4it0vccQWaLsNX6H0RpjrPY/SJHbJG22wAlSm+Uud4DKE1yl7zhBitQdZq/5AkuU3idwucMMVZ7oMXqDzRZfqPI7RI3XIGmy/AVOl+Eqc7zGD1ih6zR9htAZYqv1PkeQ2iNstf8IUZrkLXa/yRJbpO43QInTHGWu+AFKk90mb7jCC1Sd5zB5g==";
const SIGNATURE_HEX = `0x${Array.from({ length: 256 }, (_, i) => ((i * 37 + 11) & 255).toString(16).padStart(2, "0")).join("")}`;
const REQUEST_HASH = "05ef6138cfa6603689bdf936e77edede2e8dbd6f73a1de02d4a1ff08240da221";

// Shaped as connexion serialises the gateway's dict: json.dumps(indent=2, sort_keys=True) and a newline.
const CHAT_BODY = String.raw`{
  "choices": [
    {
      "finish_reason": "stop",
      "index": 0,
      "message": {
        "content": "Hello! How can I assist you today? \ud83d\ude0a",
        "role": "assistant"
      }
    }
  ],
  "created": 1776000000,
  "id": "chatcmpl-2f0c8a52-7a53-4d3f-9b7e-0c1d2e3f4a5b",
  "model": "gpt-4.1",
  "object": "chat.completion",
  "opengradient": {
    "cost_opg": "1250000000000000",
    "cost_usd": "0.000125",
    "opg_price_usd": "0.1"
  },
  "tee_id": "${TEE_ID}",
  "tee_output_hash": "63e8f4468b7369560e90b403043559cd92f624b634c9f55b54dd9a91905c3551",
  "tee_request_hash": "${REQUEST_HASH}",
  "tee_signature": "${SIGNATURE_BASE64}",
  "tee_timestamp": 1776000000,
  "usage": {
    "completion_tokens": 10,
    "prompt_tokens": 24,
    "total_tokens": 34
  }
}
`;

const COMPLETION_BODY = String.raw`{
  "choices": [
    {
      "finish_reason": "stop",
      "index": 0,
      "text": "\n\nLa r\u00e9ponse est 42."
    }
  ],
  "created": 1776000123,
  "id": "cmpl-6b1f3c4e-1d2a-4b5c-8d9e-0f1a2b3c4d5e",
  "model": "gpt-4.1-mini",
  "object": "text_completion",
  "tee_id": "${TEE_ID}",
  "tee_output_hash": "86e51ea666e27a2d12b0ecfa04d60d5a20ebbdd44c97070dc331329386a6c907",
  "tee_request_hash": "${REQUEST_HASH}",
  "tee_signature": "${SIGNATURE_BASE64}",
  "tee_timestamp": 1776000123,
  "usage": null
}
`;

const TOOL_CALL_BODY = String.raw`{
  "choices": [
    {
      "finish_reason": "tool_calls",
      "index": 0,
      "message": {
        "content": "",
        "role": "assistant",
        "tool_calls": [
          {
            "function": {
              "arguments": "{\"city\": \"Z\\u00fcrich\"}",
              "name": "get_weather"
            },
            "id": "c1a2",
            "type": "function"
          }
        ]
      }
    }
  ],
  "created": 1776000200,
  "id": "chatcmpl-0d9c8b7a-6f5e-4d3c-2b1a-098765432100",
  "model": "gpt-4.1",
  "object": "chat.completion",
  "tee_id": "${TEE_ID}",
  "tee_output_hash": "22fc07da4dbc2b3ffeaead260214d3664b43275831e0742aea7f7a10a5f97f96",
  "tee_request_hash": "${REQUEST_HASH}",
  "tee_signature": "${SIGNATURE_BASE64}",
  "tee_timestamp": 1776000200
}
`;

// A text stream with the web-search status frame, a keep-alive comment and CRLF line ends.
const TEXT_STREAM = [
  `data: {"choices": [{"delta": {}, "index": 0, "finish_reason": null}], "model": "gpt-4.1", "web_search": {"status": "searching", "query": "w\\u00f6rld"}}`,
  `data: {"choices": [{"delta": {"content": "Hel", "role": "assistant"}, "index": 0, "finish_reason": null}], "model": "gpt-4.1"}`,
  ": keep-alive",
  `data: {"choices": [{"delta": {"content": "lo", "role": "assistant"}, "index": 0, "finish_reason": null}], "model": "gpt-4.1"}`,
  `data: {"choices": [{"delta": {"content": " w\\u00f6rld", "role": "assistant"}, "index": 0, "finish_reason": null}], "model": "gpt-4.1"}`,
  `data: {"choices": [{"delta": {}, "index": 0, "finish_reason": "stop"}], "model": "gpt-4.1", "tee_signature": "${SIGNATURE_BASE64}", "tee_timestamp": 1776000300, "tee_request_hash": "${REQUEST_HASH}", "tee_output_hash": "31f99b8127912775808479711a5b0893ee10c6178cbf651eb09aee888caf6aae", "tee_id": "${TEE_ID}", "citations": [{"url": "https://example.org"}], "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12}}`,
  "data: [DONE]",
  "",
  "",
].join("\r\n\r\n");

// Gemini streams tool calls unbuffered: fragments carry what changed, the gateway hashes them joined, by index.
const TOOL_STREAM = String.raw`data: {"choices": [{"delta": {"content": "Let me check.", "role": "assistant"}, "index": 0, "finish_reason": null}], "model": "gemini-2.5-flash"}

data: {"choices": [{"delta": {"role": "assistant", "tool_calls": [{"index": 0, "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": "}, "id": "c1a2"}]}, "index": 0, "finish_reason": null}], "model": "gemini-2.5-flash"}

data: {"choices": [{"delta": {"role": "assistant", "tool_calls": [{"index": 0, "type": "function", "function": {"arguments": "\"Z\\u00fcrich\"}"}}]}, "index": 0, "finish_reason": null}], "model": "gemini-2.5-flash"}

data: {"choices": [{"delta": {}, "index": 0, "finish_reason": "tool_calls"}], "model": "gemini-2.5-flash", "tee_signature": "${SIGNATURE_BASE64}", "tee_timestamp": 1776000400, "tee_request_hash": "${REQUEST_HASH}", "tee_output_hash": "22fc07da4dbc2b3ffeaead260214d3664b43275831e0742aea7f7a10a5f97f96", "tee_id": "${TEE_ID}"}

data: [DONE]

`;

describe("teeFieldsOf", () => {
  test("default: a chat.completion body", () => {
    const fields = teeFieldsOf(CHAT_BODY);
    expect(fields).toEqual({
      kind: "chat",
      teeId: TEE_ID,
      inputHash: `0x${REQUEST_HASH}`,
      outputHash: "0x63e8f4468b7369560e90b403043559cd92f624b634c9f55b54dd9a91905c3551",
      timestamp: 1776000000n,
      signature: SIGNATURE_HEX,
      signatureBase64: SIGNATURE_BASE64,
      inferenceId: inferenceIdOf({
        teeId: TEE_ID,
        inputHash: `0x${REQUEST_HASH}`,
        outputHash: "0x63e8f4468b7369560e90b403043559cd92f624b634c9f55b54dd9a91905c3551",
        timestamp: 1776000000n,
      }),
      model: "gpt-4.1",
      finishReason: "stop",
      content: "Hello! How can I assist you today? 😊",
    });
    expect(outputHashOf(CHAT_BODY)).toBe(fields.outputHash);
    expect(teeFieldsOf(JSON.parse(CHAT_BODY) as object)).toEqual(fields);
  });

  test("default: a text_completion body", () => {
    const fields = teeFieldsOf(COMPLETION_BODY);
    expect(fields).toMatchObject({ kind: "completion", timestamp: 1776000123n, content: "\n\nLa réponse est 42." });
    expect(outputHashOf(COMPLETION_BODY)).toBe(fields.outputHash);
  });

  test("default: a tool-call body hashes json.dumps(tool_calls, sort_keys=True)", () => {
    const fields = teeFieldsOf(TOOL_CALL_BODY);
    expect(fields.finishReason).toBe("tool_calls");
    expect(fields.content).toBe("");
    const [python] = pythonFormats([
      { mode: "sorted", text: JSON.stringify(JSON.parse(TOOL_CALL_BODY).choices[0].message.tool_calls) },
    ]);
    expect(outputPreimageOf({ content: "", toolCalls: fields.toolCalls })).toBe(python);
    expect(outputHashOf(TOOL_CALL_BODY)).toBe(fields.outputHash);
    expect(outputHashOf(TOOL_CALL_BODY)).toBe(keccak256(toBytes(python!)));
  });

  test("default: an SSE stream hashes its deltas joined", () => {
    const fields = teeFieldsOf(TEXT_STREAM);
    expect(fields).toMatchObject({
      kind: "stream",
      content: "Hello wörld",
      finishReason: "stop",
      timestamp: 1776000300n,
      model: "gpt-4.1",
    });
    expect(fields.toolCalls).toBeUndefined();
    expect(outputHashOf(TEXT_STREAM)).toBe(fields.outputHash);
  });

  test("default: an SSE stream of tool-call fragments hashes the joined calls", () => {
    const fields = teeFieldsOf(TOOL_STREAM);
    expect(fields.content).toBe("Let me check.");
    expect(dumpsPython(fields.toolCalls!)).toBe(
      String.raw`[{"function": {"arguments": "{\"city\": \"Z\\u00fcrich\"}", "name": "get_weather"}, "id": "c1a2", "type": "function"}]`,
    );
    expect(outputHashOf(TOOL_STREAM)).toBe(fields.outputHash);
    expect(outputHashOf(TOOL_STREAM)).toBe(outputHashOf(TOOL_CALL_BODY));
  });

  test("behavior: hashes with 0x or in capitals are normalised", () => {
    const body = CHAT_BODY.replace(`"${REQUEST_HASH}"`, `"0x${REQUEST_HASH.toUpperCase()}"`).replace(
      `"${TEE_ID}"`,
      `"${TEE_ID.slice(2)}"`,
    );
    expect(teeFieldsOf(body)).toEqual(teeFieldsOf(CHAT_BODY));
  });

  test("behavior: the last tee frame before [DONE] counts", () => {
    const later = TOOL_STREAM.replace("data: [DONE]", `data: [DONE]\n\n${TEXT_STREAM}`);
    expect(teeFieldsOf(later).timestamp).toBe(1776000400n);
  });

  test("behavior: tampered content changes the output hash", () => {
    for (const [body, from, to] of [
      [CHAT_BODY, "today?", "today!"],
      [COMPLETION_BODY, "42", "43"],
      [TOOL_CALL_BODY, "get_weather", "get_wether"],
      [TEXT_STREAM, `"lo"`, `"l0"`],
      [TOOL_STREAM, "c1a2", "c1a3"],
    ] as const) {
      const tampered = body.replace(from, to);
      expect(tampered).not.toBe(body);
      expect(teeFieldsOf(tampered).outputHash).toBe(teeFieldsOf(body).outputHash);
      expect(outputHashOf(tampered)).not.toBe(teeFieldsOf(body).outputHash);
    }
  });

  test("args: malformed bodies", () => {
    const errorOf = (body: string | object) => {
      try {
        teeFieldsOf(body);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    const body = JSON.parse(CHAT_BODY) as Record<string, unknown>;
    expect(errorOf({ ...body, tee_request_hash: "0x12" })).toMatchInlineSnapshot(
      `"Response field "tee_request_hash" is "0x12", expected 64 hex digits (the gateway writes them without 0x)."`,
    );
    expect(errorOf({ ...body, tee_output_hash: undefined })).toMatchInlineSnapshot(
      `"Response field "tee_output_hash" is missing, expected 64 hex digits (the gateway writes them without 0x)."`,
    );
    expect(errorOf({ ...body, tee_id: 7 })).toMatchInlineSnapshot(
      `"Response field "tee_id" is 7, expected 0x followed by 64 hex digits."`,
    );
    expect(
      errorOf(CHAT_BODY.replace('"tee_timestamp": 1776000000', '"tee_timestamp": 1776000000.0')),
    ).toMatchInlineSnapshot(
      `"Response field "tee_timestamp" is 1776000000.0, expected an integer number of unix seconds."`,
    );
    expect(errorOf({ ...body, tee_timestamp: "1776000000" })).toMatchInlineSnapshot(
      `"Response field "tee_timestamp" is "1776000000", expected an integer number of unix seconds."`,
    );
    expect(errorOf({ ...body, tee_signature: "not base64!" })).toMatchInlineSnapshot(
      `"Response field "tee_signature" is "not base64!", expected standard base64 (the RSA-PSS signature)."`,
    );
    expect(errorOf({ ...body, tee_signature: SIGNATURE_BASE64.replaceAll("/", "_") })).toContain(
      'Response field "tee_signature"',
    );
    expect(errorOf("Internal Server Error")).toMatchInlineSnapshot(
      `"Response body "Internal Server Error" is neither a JSON object nor an SSE stream of "data:" frames."`,
    );
    expect(errorOf("[1, 2]")).toMatchInlineSnapshot(
      `"Response body "[1, 2]" is neither a JSON object nor an SSE stream of "data:" frames."`,
    );
    expect(errorOf('{"choices": [}')).toMatchInlineSnapshot(
      `"Invalid JSON at line 1 column 14 (char 13): Expecting value, near "}"."`,
    );
    expect(
      errorOf(
        TEXT_STREAM.replace(/data: \{"choices": \[\{"delta": \{\}, "index": 0, "finish_reason": "stop"[^\r]*/, ""),
      ),
    ).toMatchInlineSnapshot(`"SSE stream has no frame with tee_* fields before [DONE] (4 frames read)."`);
    expect(
      errorOf(
        `data: {"choices": [{"delta": {"content": "Hi", "role": "assistant"}, "index": 0, "finish_reason": null}], "model": "m"}\n\ndata: {"error": "Stream processing failed", "exception_type": "RateLimitError"}\n\n`,
      ),
    ).toMatchInlineSnapshot(
      `"SSE stream has no frame with tee_* fields; it carries the error "Stream processing failed"."`,
    );
    expect(errorOf("data: {not json}\n\n")).toMatchInlineSnapshot(
      `"SSE frame 1 is not valid JSON: Invalid JSON at line 1 column 2 (char 1): Expecting property name enclosed in double quotes, near "not json}"."`,
    );
  });

  test("args: outputHashOf needs content", () => {
    expect(() => outputHashOf({ tee_id: TEE_ID })).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Response carries no output to hash: expected "choices[0].message.content", "choices[0].text" or streamed "delta.content".]`,
    );
  });
});

describe("teeResponseOf", async () => {
  const tee = await generateTeeKey();
  const privateKey = await importTeePrivateKey(tee.privateKey);
  const request = CHAT_REQUESTS[1]!;
  const inputHash = inputHashOf(request, "chat");
  const timestamp = 1776000500n;
  const signed = async (output: TeeOutput) => {
    const signature = await signInference(privateKey, { inputHash, outputHash: outputHashOf(output), timestamp });
    return { model: "gpt-4.1", output, inputHash, timestamp, teeId: tee.teeId, signature };
  };
  const toolCalls = [
    { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city": "Z\\u00fcrich"}' } },
    { id: "call_2", type: "function", function: { name: "get_time", arguments: '{"tz": "Europe/Zurich"}' } },
  ];
  const outputs: TeeOutput[] = [{ content: "Grüezi! 👋 It's 21.5 °C." }, { content: "", toolCalls }];

  test("default: every kind round-trips through teeFieldsOf and verifies", async () => {
    for (const kind of ["chat", "completion", "stream"] as const) {
      for (const output of outputs) {
        if (kind === "completion" && output.toolCalls) continue;
        const args = await signed(output);
        const body = teeResponseOf({
          ...args,
          kind,
          usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
        });
        const fields = teeFieldsOf(body);
        expect(fields).toMatchObject({ kind, teeId: tee.teeId, inputHash, timestamp, signature: args.signature });
        expect(fields.content).toBe(output.content);
        expect(fields.outputHash).toBe(outputHashOf(output));
        expect(outputHashOf(body)).toBe(fields.outputHash);
        expect(fields.inferenceId).toBe(inferenceIdOf(fields));
        expect(await verifyTeeSignature({ publicKey: tee.publicKey, ...fields })).toBe(true);
      }
    }
  });

  test("default: bodies are written as connexion writes them, stream frames as json.dumps", async () => {
    const chat = teeResponseOf({ ...(await signed(outputs[0]!)), kind: "chat", id: "chatcmpl-1" });
    const completion = teeResponseOf({ ...(await signed(outputs[0]!)), kind: "completion", id: "cmpl-1" });
    const tools = teeResponseOf({ ...(await signed(outputs[1]!)), kind: "chat", id: "chatcmpl-2" });
    const stream = teeResponseOf({
      ...(await signed(outputs[0]!)),
      kind: "stream",
      chunks: ["Grüezi! ", "👋 It's", "", " 21.5 °C."],
      usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
    });
    const frames = stream.split("\n\n").filter((frame) => frame.startsWith("data: {"));
    expect(frames.length).toBe(4);
    expect(stream.endsWith("data: [DONE]\n\n")).toBe(true);
    const python = pythonFormats([
      { mode: "body", text: chat },
      { mode: "body", text: completion },
      { mode: "body", text: tools },
      ...frames.map((frame) => ({ mode: "frame" as const, text: frame.slice(6) })),
    ]);
    expect([chat, completion, tools, ...frames.map((frame) => frame.slice(6))]).toEqual(python);
    const parsed = JSON.parse(chat);
    expect(parsed.tee_request_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(parsed.tee_output_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(parsed.tee_id).toBe(tee.teeId);
    expect(Number.isInteger(parsed.tee_timestamp)).toBe(true);
    expect(atob(parsed.tee_signature).length).toBe(256);
    expect(Object.keys(JSON.parse(frames[3]!.slice(6)))).toEqual([
      "choices",
      "model",
      "tee_signature",
      "tee_timestamp",
      "tee_request_hash",
      "tee_output_hash",
      "tee_id",
      "usage",
    ]);
    expect(JSON.parse(completion).usage).toBeNull();
  });

  test("args: bad arguments", async () => {
    const args = await signed(outputs[0]!);
    expect(() => teeResponseOf({ ...args, kind: "stream", chunks: ["Grüezi"] })).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Stream chunks join to "Grüezi", not the output content.]`,
    );
    expect(() =>
      teeResponseOf({ ...args, kind: "completion", output: outputs[1]! }),
    ).toThrowErrorMatchingInlineSnapshot(`[InvalidInputError: A text_completion response cannot carry tool calls.]`);
    expect(() => teeResponseOf({ ...args, kind: "chat", inputHash: "0x12" as Hex })).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Input hash "0x12" is not a 32-byte hex string (0x followed by 64 hex digits).]`,
    );
    expect(() =>
      teeResponseOf({ ...args, kind: "chat", signature: "0x123" as Hex }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Signature "0x123" is not a non-empty hex string of whole bytes.]`,
    );
  });
});
