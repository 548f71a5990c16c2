import type { TestProject } from "vitest/node";
import { type Environment, type Host, startEnvironment, VIEWS_SCHEMA } from "./environment";

/** Receipts in the shared scenario: enough for every state and several pages, small enough to index in seconds. */
const RECEIPTS = Number(process.env.API_TEST_RECEIPTS ?? 600);

export type ProvidedEnvironment = {
  hosts: Host[];
  manifest: Environment["manifest"];
  heads: Environment["chains"]["heads"];
  adminUrl: string;
  readerUrl: string;
  viewsSchema: string;
};

declare module "vitest" {
  export interface ProvidedContext {
    api: ProvidedEnvironment;
  }
}

let environment: Environment | undefined;

export async function setup(project: TestProject) {
  environment = await startEnvironment({ seed: "api", receipts: RECEIPTS });
  project.provide("api", {
    hosts: environment.hosts,
    manifest: environment.manifest,
    heads: environment.chains.heads,
    adminUrl: environment.postgres.url,
    readerUrl: environment.readerUrl,
    viewsSchema: VIEWS_SCHEMA,
  });
}

export async function teardown() {
  await environment?.stop();
}
