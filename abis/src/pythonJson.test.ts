import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { InvalidInputError } from "./errors";
import {
  compareCodePoints,
  dumpsPython,
  parsePythonJson,
  pyFloat,
  pyInt,
  pyRepr,
  pyStr,
  pyTruthy,
  toPython,
} from "./pythonJson";

/** Runs `script` once with `lines` on stdin (one JSON text per line); returns its stdout lines. */
function runPython(script: string, lines: readonly string[]): string[] {
  const run = spawnSync("python3", ["-c", script], { input: lines.join("\n"), encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.error) throw new Error(`python3 is required for the parity tests and could not run: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`python3 failed (${run.status}):\n${run.stderr}`);
  return run.stdout.split("\n").filter((line) => line !== "");
}

// For each input line: json.dumps sorted, json.dumps unsorted, indent=2 sorted, and repr().
const PYTHON_DUMPS = `
import json, sys
for raw in sys.stdin.buffer.read().split(b"\\n"):
    if raw:
        value = json.loads(raw.decode("utf-8"))
        outputs = [json.dumps(value, sort_keys=True), json.dumps(value), json.dumps(value, sort_keys=True, indent=2), repr(value)]
        sys.stdout.write(json.dumps(outputs) + "\\n")
`;

/** mulberry32: a small seeded PRNG, so a failing case can be reproduced. */
function prngOf(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

// Characters every Unicode version since 2010 agrees on, so Python's and the JS engine's tables match.
const RAW_PIECES = [
  ..."abcXYZ019 _-.,:;!?/<>()[]{}|~`@#$%^&*+=",
  "'",
  "é",
  "ß",
  "ñ",
  "Ω",
  "ж",
  "中",
  "文",
  "日本語",
  "한",
  "ع",
  "\u00a0", // no-break space: not printable for repr
  "\u200b", // zero-width space (Cf)
  "\u2028", // line separator (Zl)
  "\ue000", // private use (Co)
  "\uffff", // noncharacter (Cn)
  "\u007f", // DEL
  "\u0085", // NEL (Cc)
  "😀",
  "🚀",
  "𝄞",
  "\u{10ffff}",
];
const ESCAPED_PIECES = [
  '\\"',
  "\\\\",
  "\\/",
  "\\n",
  "\\r",
  "\\t",
  "\\b",
  "\\f",
  "\\u0000",
  "\\u001f",
  "\\u007F",
  "\\u00e9",
  "\\u4E2D",
  "\\ud83d\\ude00",
  "\\ud800", // lone surrogates survive json.loads
  "\\udfff",
  "\\u2029",
];
const NUMBER_LEXEMES = [
  "0",
  "-0",
  "7",
  "-42",
  "9007199254740993",
  "18446744073709551616",
  "-340282366920938463463374607431768211457",
  "123456789012345678901234567890123456789012345678901234567890",
  "0.0",
  "-0.0",
  "1.0",
  "100.0",
  "1e16",
  "1E16",
  "1e15",
  "9999999999999998.0",
  "1e-5",
  "0.0001",
  "0.00001",
  "1.5e300",
  "2.5E+3",
  "0.1e1",
  "1e400",
  "-1e400",
  "1e-400",
  "5e-324",
  "2.2250738585072014e-308",
  "1.7976931348623157e308",
  "0.30000000000000004",
  "0.1",
  "0.123456789012345678901234567890",
  "123456789012345678901234567890.0",
  "9007199254740993.0",
  "-123.456e-7",
  "NaN",
  "Infinity",
  "-Infinity",
];
const KEYS = ["", "a", "b", "A", "_", "1", "10", "2", "model", "é", "中", "\uffff", "\ue000", "😀", "𝄞", "a b", 'q"t'];

function caseGenerator(seed: number) {
  const { next, int, pick } = prngOf(seed);
  const view = new DataView(new ArrayBuffer(8));
  const ws = () => pick(["", "", "", " ", "  ", "\t", " \r "]);
  const string = () => {
    let body = "";
    for (let n = int(6); n > 0; n--) body += next() < 0.6 ? pick(RAW_PIECES) : pick(ESCAPED_PIECES);
    return `"${body}"`;
  };
  const number = () => {
    if (next() < 0.5) return pick(NUMBER_LEXEMES);
    // Any finite double, printed by JS (a valid JSON number); Python must find the same shortest digits.
    for (;;) {
      view.setUint32(0, int(2 ** 32));
      view.setUint32(4, int(2 ** 32));
      const x = view.getFloat64(0);
      if (Number.isFinite(x)) return String(x).includes(".") || String(x).includes("e") ? String(x) : `${x}.0`;
    }
  };
  const value = (depth: number): string => {
    const roll = next();
    if (depth < 4 && roll < 0.2)
      return `[${ws()}${Array.from({ length: int(4) }, () => value(depth + 1)).join(`${ws()},${ws()}`)}${ws()}]`;
    if (depth < 4 && roll < 0.4) {
      const entries = Array.from({ length: int(5) }, () => {
        const key = next() < 0.5 ? JSON.stringify(pick(KEYS)) : string();
        return `${key}${ws()}:${ws()}${value(depth + 1)}`;
      });
      return `{${ws()}${entries.join(`${ws()},${ws()}`)}${ws()}}`;
    }
    if (roll < 0.6) return string();
    if (roll < 0.9) return number();
    return pick(["null", "true", "false"]);
  };
  return () => `${ws()}${value(0)}${ws()}`;
}

// Shapes the gateway hashes for real: tool definitions and tool calls.
const TOOL_CASES = [
  `[{"type":"function","function":{"name":"get_weather","description":"Météo à Zürich — °C","parameters":{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["c","f"]},"days":{"type":"integer","minimum":1,"maximum":16}},"required":["city"]},"strict":true}}]`,
  `[{"id":"call_9f1c","type":"function","function":{"name":"lookup","arguments":"{\\"q\\": \\"\\\\u00e9t\\\\u00e9\\", \\"n\\": 3}"}},{"id":"call_2","type":"function","function":{"name":"noop","arguments":"{}"}}]`,
  `{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object","properties":{"score":{"type":"number","minimum":0.0,"maximum":1e2}}},"strict":false}}`,
];

describe("parity with python3", () => {
  const generate = caseGenerator(0x5e771e);
  const cases = [...TOOL_CASES, ...Array.from({ length: 300 }, generate)];
  const outputs = runPython(PYTHON_DUMPS, cases).map((line) => JSON.parse(line) as [string, string, string, string]);

  test("default: dumpsPython(parsePythonJson(text)) is json.dumps(json.loads(text), sort_keys=True)", () => {
    expect(outputs.length).toBe(cases.length);
    const mismatches = cases
      .map((text, i) => ({ text, python: outputs[i]![0], ours: dumpsPython(parsePythonJson(text)) }))
      .filter(({ python, ours }) => python !== ours);
    expect(mismatches).toEqual([]);
  });

  test("behavior: unsorted and indented output match json.dumps too", () => {
    const mismatches = cases
      .map((text, i) => {
        const value = parsePythonJson(text);
        return {
          text,
          python: [outputs[i]![1], outputs[i]![2]],
          ours: [dumpsPython(value, { sortKeys: false }), dumpsPython(value, { indent: 2 })],
        };
      })
      .filter(({ python, ours }) => python[0] !== ours[0] || python[1] !== ours[1]);
    expect(mismatches).toEqual([]);
  });

  test("behavior: pyRepr is repr()", () => {
    const mismatches = cases
      .map((text, i) => ({ text, python: outputs[i]![3], ours: pyRepr(parsePythonJson(text)) }))
      .filter(({ python, ours }) => python !== ours);
    expect(mismatches).toEqual([]);
  });

  test("behavior: plain JS values print as documented", () => {
    const values = [
      { b: 1, a: [1.5, pyFloat(2), 2n, -0, pyFloat(-0), "é\u007f", null, true], "😀": {}, "\uffff": [] },
      [Number.NaN, Number.POSITIVE_INFINITY, 1e-7, 123456789, 1e21, 0.1 + 0.2],
    ];
    const [sorted] = runPython(PYTHON_DUMPS, [dumpsPython(values[0]!)]).map((line) => JSON.parse(line) as string[]);
    expect(dumpsPython(values[0]!)).toBe(sorted![0]);
    expect(dumpsPython(values[0]!)).toMatchInlineSnapshot(
      `"{"a": [1.5, 2.0, 2, 0, -0.0, "\\u00e9\\u007f", null, true], "b": 1, "\\uffff": [], "\\ud83d\\ude00": {}}"`,
    );
    expect(dumpsPython(values[1]!)).toBe(
      "[NaN, Infinity, 1e-07, 123456789, 1000000000000000000000, 0.30000000000000004]",
    );
  });
});

describe("parsePythonJson", () => {
  test("default: ints and floats stay apart, keys keep their order", () => {
    const value = parsePythonJson('{"t": 1.0, "n": 1, "2": [], "1": 18446744073709551617, "x": -0.0}');
    expect(value).toBeInstanceOf(Map);
    expect([...(value as Map<string, unknown>).keys()]).toEqual(["t", "n", "2", "1", "x"]);
    expect(dumpsPython(value, { sortKeys: false })).toBe(
      '{"t": 1.0, "n": 1, "2": [], "1": 18446744073709551617, "x": -0.0}',
    );
  });

  test("behavior: a duplicate key keeps its first position and its last value, as a Python dict", () => {
    expect(dumpsPython(parsePythonJson('{"a": 1, "b": 2, "a": 3}'), { sortKeys: false })).toBe('{"a": 3, "b": 2}');
  });

  test("behavior: NaN, Infinity and -Infinity are accepted", () => {
    expect(dumpsPython(parsePythonJson("[NaN, Infinity, -Infinity, 1e999]"))).toBe(
      "[NaN, Infinity, -Infinity, Infinity]",
    );
  });

  test("args: invalid JSON names the position", () => {
    const messageOf = (text: string) => {
      try {
        parsePythonJson(text);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        return (error as Error).message;
      }
      throw new Error(`parsed ${JSON.stringify(text)}`);
    };
    expect(messageOf("")).toMatchInlineSnapshot(
      `"Invalid JSON at line 1 column 1 (char 0): Expecting value, near the end of the text."`,
    );
    expect(messageOf('{"a" 1}')).toMatchInlineSnapshot(
      `"Invalid JSON at line 1 column 6 (char 5): Expecting ':' delimiter, near "1}"."`,
    );
    expect(messageOf("[1,\n 2,]")).toMatchInlineSnapshot(
      `"Invalid JSON at line 2 column 4 (char 7): Expecting value, near "]"."`,
    );
    expect(messageOf('{"😀": 1 "b": 2}')).toMatchInlineSnapshot(
      `"Invalid JSON at line 1 column 9 (char 8): Expecting ',' delimiter, near "\\"b\\": 2}"."`,
    );
    expect(messageOf("{'a': 1}")).toMatchInlineSnapshot(
      `"Invalid JSON at line 1 column 2 (char 1): Expecting property name enclosed in double quotes, near "'a': 1}"."`,
    );
    expect(messageOf('"tab\there"')).toMatchInlineSnapshot(
      `"Invalid JSON at line 1 column 5 (char 4): Invalid control character in string, near "\\there\\""."`,
    );
    expect(messageOf('"\\x41"')).toMatchInlineSnapshot(
      `"Invalid JSON at line 1 column 2 (char 1): Invalid \\escape "x", near "\\\\x41\\""."`,
    );
    expect(messageOf('"\\u12G4"')).toMatchInlineSnapshot(
      `"Invalid JSON at line 1 column 3 (char 2): Invalid \\uXXXX escape, near "u12G4\\""."`,
    );
    expect(messageOf('"open')).toMatchInlineSnapshot(
      `"Invalid JSON at line 1 column 1 (char 0): Unterminated string starting at this position, near "\\"open"."`,
    );
    expect(messageOf("01")).toMatchInlineSnapshot(`"Invalid JSON at line 1 column 2 (char 1): Extra data, near "1"."`);
    expect(messageOf("1.")).toMatchInlineSnapshot(`"Invalid JSON at line 1 column 2 (char 1): Extra data, near "."."`);
    expect(messageOf("-")).toMatchInlineSnapshot(
      `"Invalid JSON at line 1 column 1 (char 0): Expecting value, near "-"."`,
    );
    expect(messageOf("nan")).toMatchInlineSnapshot(
      `"Invalid JSON at line 1 column 1 (char 0): Expecting value, near "nan"."`,
    );
    expect(messageOf(`[${"9".repeat(4301)}]`)).toMatchInlineSnapshot(
      `"Invalid JSON at line 1 column 2 (char 1): an integer of 4301 digits, more than the 4300 Python's json.loads accepts."`,
    );
  });

  test("behavior: what python3 rejects, we reject", () => {
    const invalid = [
      "{'a': 1}",
      "[1,]",
      '{"a":1,}',
      "01",
      "1.",
      ".5",
      "+1",
      "\ufeff[]",
      '"\\x"',
      "tru",
      "[1 2]",
      "\u00a0[]",
    ];
    const check = `
import json, sys
for raw in sys.stdin.buffer.read().split(b"\\n"):
    try:
        json.loads(json.loads(raw.decode("utf-8")))
        print("accepted")
    except ValueError:
        print("rejected")
`;
    expect(
      runPython(
        check,
        invalid.map((text) => JSON.stringify(text)),
      ),
    ).toEqual(invalid.map(() => "rejected"));
    for (const text of invalid) expect(() => parsePythonJson(text)).toThrow(InvalidInputError);
  });
});

describe("helpers", () => {
  test("default: keys sort by code point, not UTF-16 unit", () => {
    expect(["😀", "\uffff", "a"].sort(compareCodePoints)).toEqual(["a", "\uffff", "😀"]);
    expect(["😀", "\uffff", "a"].sort()).toEqual(["a", "😀", "\uffff"]);
  });

  test("default: pyStr and pyTruthy", () => {
    expect(pyStr("plain")).toBe("plain");
    expect(pyStr(toPython({ type: "text", n: [1, 2.5, null, false] }))).toBe(
      "{'type': 'text', 'n': [1, 2.5, None, False]}",
    );
    expect([null, false, 0n, pyFloat(0), pyFloat(-0), "", [], new Map()].map(pyTruthy)).toEqual(Array(8).fill(false));
    expect([true, 1n, pyFloat(Number.NaN), " ", [null], new Map([["a", null]])].map(pyTruthy)).toEqual(
      Array(6).fill(true),
    );
  });

  test("args: pyInt", () => {
    expect(pyInt("18446744073709551616")).toBe(2n ** 64n);
    expect(() => pyInt(1.5)).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Python int 1.5 is not a safe integer; pass a bigint or a decimal string.]`,
    );
    expect(() => pyInt("1e3")).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Python int "1e3" is not a decimal integer.]`,
    );
  });

  test("args: values with no JSON form", () => {
    expect(() => toPython(undefined)).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Value undefined (undefined) has no JSON form in Python.]`,
    );
    expect(dumpsPython({ kept: 1, skipped: undefined })).toBe('{"kept": 1}');
  });
});
