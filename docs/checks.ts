// Checks of the repository's documents, as pure functions over file contents, so each can be shown to fail.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  parse,
  validate,
  // graphql is the API's dependency, not the root's: read it from there.
} from "../api/node_modules/graphql/index.js";

/** A relative link in a Markdown file: where it is and what it points to. */
export type Link = { file: string; line: number; target: string };

/**
 * The anchor GitHub gives a heading (github-slugger): lower case, punctuation dropped except `-` and `_`, each space
 * a `-`.
 * @example headingSlug("6. Network profiles") // "6-network-profiles"
 */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Lines outside fenced code blocks, with inline code removed (links there are examples, not links). */
function proseLines(markdown: string): { text: string; line: number }[] {
  let fenced = false;
  return markdown.split("\n").flatMap((text, i) => {
    if (/^\s*(```|~~~)/.test(text)) {
      fenced = !fenced;
      return [];
    }
    return fenced ? [] : [{ text: text.replace(/`[^`]*`/g, "``"), line: i + 1 }];
  });
}

/** The anchors of a Markdown file's headings; a repeated heading gets `-1`, `-2`… as on GitHub. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { line } of proseLines(markdown)) {
    const text = markdown.split("\n")[line - 1] ?? "";
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (!heading?.[1]) continue;
    const slug = headingSlug(heading[1]);
    const n = seen.get(slug) ?? 0;
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
    seen.set(slug, n + 1);
  }
  return anchors;
}

/** Every relative link (`[text](target)`) of a Markdown file; absolute URLs and `mailto:` are not relative. */
export function relativeLinksOf(file: string, markdown: string): Link[] {
  return proseLines(markdown).flatMap(({ text, line }) =>
    [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
      .map((match) => match[1] as string)
      .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
      .map((target) => ({ file, line, target })),
  );
}

/**
 * The relative links of `files` (Markdown paths) that point to no file, or to a heading their target does not have;
 * one sentence each, naming the file, line and target.
 */
export function brokenLinksOf(files: string[], root: string): string[] {
  return files.flatMap((file) =>
    relativeLinksOf(file, readFileSync(file, "utf8")).flatMap(({ line, target }) => {
      const where = `${relative(root, file)}:${line}`;
      const [path = "", anchor] = target.split("#");
      const targetFile = path === "" ? file : resolve(dirname(file), decodeURIComponent(path));
      if (!existsSync(targetFile))
        return [`${where} links to ${target}, but ${relative(root, targetFile)} does not exist.`];
      if (anchor === undefined || anchor === "") return [];
      if (!targetFile.endsWith(".md"))
        return [`${where} links to ${target}, an anchor in a file that is not Markdown.`];
      if (anchorsOf(readFileSync(targetFile, "utf8")).has(anchor)) return [];
      return [`${where} links to ${target}, but ${relative(root, targetFile)} has no heading with anchor #${anchor}.`];
    }),
  );
}

/**
 * The types, fields, arguments (as `Type.field(arg)`), input fields and enum values of an SDL document that have no
 * description.
 */
export function undescribedOf(sdl: string): string[] {
  const schema = buildSchema(sdl);
  return Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith("__"))
    .flatMap((type) => {
      const missing = type.description ? [] : [type.name];
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type))
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of "args" in field ? field.args : [])
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      if (isEnumType(type))
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      return missing;
    });
}

/**
 * Names of documents that live outside the repository (the project's working notes); spelled in pieces so that this
 * file does not name them itself.
 */
export const OUTSIDE_NAMES = [
  ["DESIGN", ".md"].join(""),
  ["..", "shared", ""].join("/"),
  ["", "work", "shared"].join("/"),
  ["research", "opengradient.md"].join("/"),
];

/** `path:line` of every line of `files` (paths relative to `root`) that names a document outside the repository. */
export function outsideReferencesOf(files: string[], root: string): string[] {
  return files.flatMap((file) => {
    const path = join(root, file);
    if (!existsSync(path)) return [];
    const text = readFileSync(path, "utf8");
    if (text.includes("\u0000") || !OUTSIDE_NAMES.some((name) => text.includes(name))) return [];
    return text.split("\n").flatMap((line, i) => {
      const named = OUTSIDE_NAMES.find((name) => line.includes(name));
      return named ? [`${file}:${i + 1} names ${named}.`] : [];
    });
  });
}

/** The ```graphql blocks of a Markdown file, with the line each starts on. */
export function graphqlBlocksOf(markdown: string): { line: number; source: string }[] {
  return [...markdown.matchAll(/^```graphql\n([\s\S]*?)^```$/gm)].map((match) => ({
    line: markdown.slice(0, match.index).split("\n").length,
    source: match[1] as string,
  }));
}

/** One sentence per example operation of `markdown` that does not parse or validate against the SDL `sdl`. */
export function invalidExamplesOf(file: string, markdown: string, sdl: string): string[] {
  const schema = buildSchema(sdl);
  return graphqlBlocksOf(markdown).flatMap(({ line, source }) => {
    try {
      return validate(schema, parse(source)).map((error) => `${file}:${line}: ${error.message}`);
    } catch (error) {
      return [`${file}:${line}: ${(error as Error).message}`];
    }
  });
}
