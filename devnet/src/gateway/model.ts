import { dumpsPython, type TeeOutput, type TeeRequestKind } from "@settlescan/abis";
import { keccak256, stringToHex } from "viem";

/** A prompt starting with this asks the devnet model to call the request's first tool instead of answering. */
export const TOOL_CALL_PREFIX = "call:";

/** What the devnet model answers: the output the enclave signs, how to stream it, and token counts. */
export type ModelAnswer = {
  output: TeeOutput;
  /** Content deltas for a stream: the text cut after each run of whitespace. */
  chunks: string[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
};

/** The devnet's "model": the text reversed (by code point), so outputs are deterministic and checkable. */
export function reversed(text: string): string {
  return [...text].reverse().join("");
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** A message's text: a string, or the texts of its `{type: "text"}` parts. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (typeof record(part)?.text === "string" ? (record(part)?.text as string) : "")).join("");
}

/** What the model reads: the last user message of a chat, the prompt of a completion. */
export function promptOf(request: Record<string, unknown>, kind: TeeRequestKind): string {
  if (kind === "completion") {
    const { prompt } = request;
    return Array.isArray(prompt) ? prompt.filter((p) => typeof p === "string").join("") : textOf(prompt);
  }
  const messages = Array.isArray(request.messages) ? request.messages : [];
  const user = messages.findLast((message) => record(message)?.role === "user");
  return textOf(record(user)?.content);
}

const tokensOf = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * The devnet model's answer to a parsed request: the prompt reversed; or, when a chat request offers `tools` and the
 * prompt starts with `call:`, one call of the first tool with `{"input": <the rest, reversed>}` as its arguments
 * (`json.dumps` of them, as the gateway writes LangChain's args), and no text.
 * @example answerOf({ model: "m", messages: [{ role: "user", content: "hello" }] }, "chat").output // { content: "olleh" }
 */
export function answerOf(request: Record<string, unknown>, kind: TeeRequestKind): ModelAnswer {
  const prompt = promptOf(request, kind);
  const tools = Array.isArray(request.tools) ? request.tools : [];
  const tool = record(record(tools[0])?.function);
  const usage = (completion: number) => {
    const promptTokens = tokensOf(prompt);
    return { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion };
  };
  if (kind === "chat" && tool && typeof tool.name === "string" && prompt.startsWith(TOOL_CALL_PREFIX)) {
    const input = reversed(prompt.slice(TOOL_CALL_PREFIX.length).trim());
    const toolCall = {
      id: `call_${keccak256(stringToHex(prompt)).slice(2, 26)}`,
      type: "function",
      function: { name: tool.name, arguments: dumpsPython({ input }, { sortKeys: false }) },
    };
    return { output: { content: "", toolCalls: [toolCall] }, chunks: [], usage: usage(1) };
  }
  const content = reversed(prompt);
  return { output: { content }, chunks: content.match(/\S+\s*|\s+/g) ?? [], usage: usage(tokensOf(content)) };
}
