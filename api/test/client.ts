import { inject } from "vitest";
import type { Host } from "./environment";

export type GraphQLResponse<T = Record<string, unknown>> = {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
  extensions?: { sqlQueries?: number };
};

/** Posts one operation to a host's /graphql, asking for its SQL statement count. */
export async function gql<T = Record<string, unknown>>(
  host: Host,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(host.graphql, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", "x-sql-count": "1" },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** Like `gql`, but fails on any error and returns `data`. */
export async function data<T = Record<string, unknown>>(
  host: Host,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const result = await gql<T>(host, query, variables);
  if (result.errors?.length) throw new Error(`${host.name}: ${JSON.stringify(result.errors, null, 2)}`);
  return result.data as T;
}

/** The errors of one operation on both hosts, which must agree; each as "CODE: message". */
export async function errorsOf(query: string, variables: Record<string, unknown> = {}) {
  const { hosts } = inject("api");
  const answers = await Promise.all(
    hosts.map(async (host) =>
      ((await gql(host, query, variables)).errors ?? []).map((e) => `${e.extensions?.code}: ${e.message}`),
    ),
  );
  for (const answer of answers.slice(1))
    if (JSON.stringify(answer) !== JSON.stringify(answers[0]))
      throw new Error(`The hosts disagree:\n${JSON.stringify(answers, null, 2)}`);
  return answers[0]!;
}
