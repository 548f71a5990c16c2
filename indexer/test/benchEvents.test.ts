import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { SETTLESCAN_EVENTS } from "../bench/settlescanEvents";

const SRC = new URL("../src", import.meta.url).pathname;

/** Every `ponder.on("Contract:Event", …)` name registered in src/, and the names of `for (const name of [...])` loops. */
function handledEvents() {
  const names = new Set<string>();
  for (const file of readdirSync(SRC).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(join(SRC, file), "utf8");
    for (const [, name] of text.matchAll(/ponder\.on\(\s*"([A-Za-z0-9]+:[A-Za-z0-9]+)"/g)) names.add(name!);
    for (const [, list] of text.matchAll(/for \(const name of \[([^\]]+)\] as const\)/g))
      for (const [, name] of list!.matchAll(/"([A-Za-z0-9]+:[A-Za-z0-9]+)"/g)) names.add(name!);
  }
  return names;
}

test("behavior: the bench's bare and floor apps handle exactly the events Settlescan handles", () => {
  const handled = handledEvents();
  expect(handled.size).toBeGreaterThan(10);
  expect([...SETTLESCAN_EVENTS].sort()).toEqual([...handled].sort());
});
