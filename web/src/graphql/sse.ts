/** One server-sent event: its `event` name (default "message") and its `data` lines joined. */
export type ServerSentEvent = { event: string; data: string };

/**
 * Splits a server-sent-events buffer into complete events and the unfinished rest (to prepend to the next chunk).
 * Comments (`: ping`) and fields other than `event` and `data` are dropped.
 * @example parseServerSentEvents("event: next\ndata: {}\n\n") // { events: [{ event: "next", data: "{}" }], rest: "" }
 */
export function parseServerSentEvents(buffer: string): { events: ServerSentEvent[]; rest: string } {
  const normalized = buffer.replace(/\r\n?/g, "\n");
  const blocks = normalized.split("\n\n");
  const rest = blocks.pop() ?? "";
  const events: ServerSentEvent[] = [];
  for (const block of blocks) {
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line === "" || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (data.length > 0 || event !== "message") events.push({ event, data: data.join("\n") });
  }
  return { events, rest };
}
