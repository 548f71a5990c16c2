import { expect, test } from "vitest";
import { parseServerSentEvents } from "./sse";

test("default: graphql-yoga's next and complete events", () => {
  expect(parseServerSentEvents('event: next\ndata: {"data":{"a":1}}\n\nevent: complete\ndata:\n\n')).toEqual({
    events: [
      { event: "next", data: '{"data":{"a":1}}' },
      { event: "complete", data: "" },
    ],
    rest: "",
  });
});

test("behavior: an event split across chunks waits for its end", () => {
  const first = parseServerSentEvents('event: next\ndata: {"da');
  expect(first).toEqual({ events: [], rest: 'event: next\ndata: {"da' });
  expect(parseServerSentEvents(`${first.rest}ta":null}\n\n`).events).toEqual([
    { event: "next", data: '{"data":null}' },
  ]);
});

test("behavior: keep-alive comments, CRLF and multi-line data", () => {
  expect(parseServerSentEvents(":\n\n: ping\n\r\ndata: a\r\ndata: b\r\n\r\n").events).toEqual([
    { event: "message", data: "a\nb" },
  ]);
});
