import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  anchorsOf,
  brokenLinksOf,
  graphqlBlocksOf,
  headingSlug,
  invalidExamplesOf,
  OUTSIDE_NAMES,
  outsideReferencesOf,
  undescribedOf,
} from "./checks";

const ROOT = join(import.meta.dirname, "..");
const MARKDOWN = [
  join(ROOT, "README.md"),
  ...readdirSync(import.meta.dirname)
    .filter((name) => name.endsWith(".md"))
    .map((name) => join(import.meta.dirname, name)),
];

describe("links", () => {
  test("default: every relative link in README.md and docs/*.md reaches its file and heading", () => {
    expect(MARKDOWN.map((file) => file.slice(ROOT.length + 1))).toEqual(
      expect.arrayContaining(["README.md", "docs/api.md", "docs/architecture.md", "docs/operations.md"]),
    );
    expect(brokenLinksOf(MARKDOWN, ROOT)).toEqual([]);
  });

  test("behavior: a missing file, a missing heading and a good link", () => {
    const dir = mkdtempSync(join(tmpdir(), "settlescan-docs-"));
    writeFileSync(join(dir, "other.md"), "# Other\n\n## 6. Network profiles\n\n## Run it _(Settlescan)_\n");
    writeFileSync(
      join(dir, "index.md"),
      [
        "# Index",
        "[gone](gone.md) [heading](other.md#6-network-profiles) [underscored](other.md#run-it-_settlescan_)",
        "[no heading](other.md#7-nothing) [here](#index) [web](https://example.org/x.md) `[code](code.md)`",
        "```",
        "[fenced](fenced.md)",
        "```",
      ].join("\n"),
    );
    expect(brokenLinksOf([join(dir, "index.md")], dir)).toMatchInlineSnapshot(`
      [
        "index.md:2 links to gone.md, but gone.md does not exist.",
        "index.md:3 links to other.md#7-nothing, but other.md has no heading with anchor #7-nothing.",
      ]
    `);
  });

  test("behavior: anchors as GitHub makes them", () => {
    expect(headingSlug("6. Network profiles")).toBe("6-network-profiles");
    expect(headingSlug("Exit code 75 and `npm run serve`")).toBe("exit-code-75-and-npm-run-serve");
    expect([...anchorsOf("# A\n## Notes\n## Notes\n```\n# not a heading\n```\n")]).toEqual(["a", "notes", "notes-1"]);
  });
});

describe("schema descriptions", () => {
  test("default: every type, field, argument, input field and enum value of api/schema.graphql has a description", () => {
    const sdl = readFileSync(join(ROOT, "api", "schema.graphql"), "utf8");
    expect(sdl.length).toBeGreaterThan(10_000);
    expect(undescribedOf(sdl)).toEqual([]);
  });

  test("behavior: undescribed types, fields, arguments and values are named", () => {
    const sdl = `"""The root."""
type Query { """Said.""" said("Told." a: Int, b: Int): Int, unsaid: State }
enum State { """Yes.""" YES, NO }
input Filter { """Kept.""" a: Int }`;
    expect(undescribedOf(sdl)).toMatchInlineSnapshot(`
      [
        "Query.said(b)",
        "Query.unsaid",
        "State",
        "State.NO",
        "Filter",
      ]
    `);
  });
});

describe("example queries", () => {
  test("default: every GraphQL example in docs/api.md validates against api/schema.graphql", () => {
    const markdown = readFileSync(join(import.meta.dirname, "api.md"), "utf8");
    expect(graphqlBlocksOf(markdown).length).toBeGreaterThanOrEqual(8);
    expect(
      invalidExamplesOf("docs/api.md", markdown, readFileSync(join(ROOT, "api", "schema.graphql"), "utf8")),
    ).toEqual([]);
  });

  test("behavior: an unknown field and a syntax error are named", () => {
    const markdown = "# Q\n\n```graphql\n{ said nope }\n```\n\n```graphql\n{ said\n```\n";
    expect(invalidExamplesOf("q.md", markdown, `type Query { said: Int }`)).toMatchInlineSnapshot(`
      [
        "q.md:3: Cannot query field "nope" on type "Query".",
        "q.md:7: Syntax Error: Expected Name, found <EOF>.",
      ]
    `);
  });
});

describe("references outside the repository", () => {
  test("default: no file of the repository names the project's outside notes", () => {
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
      cwd: ROOT,
      encoding: "utf8",
    })
      .split("\n")
      .filter((file) => file !== "" && !file.endsWith(".png") && !file.endsWith("pnpm-lock.yaml"));
    expect(files).toContain("README.md");
    expect(outsideReferencesOf(files, ROOT)).toEqual([]);
  });

  test("behavior: each outside name is found", () => {
    const dir = mkdtempSync(join(tmpdir(), "settlescan-docs-"));
    OUTSIDE_NAMES.forEach((name, i) => {
      writeFileSync(join(dir, `f${i}.ts`), `// fine\n// see ${name} for why\n`);
    });
    writeFileSync(join(dir, "clean.ts"), "// see docs/protocol.md\n");
    expect(outsideReferencesOf([...OUTSIDE_NAMES.map((_, i) => `f${i}.ts`), "clean.ts"], dir)).toEqual(
      OUTSIDE_NAMES.map((name, i) => `f${i}.ts:2 names ${name}.`),
    );
  });
});
