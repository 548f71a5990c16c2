import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { parse } from "yaml";
import { BASE_CHAIN_ID, OG_CHAIN_ID } from "./chains";

// Merge keys (<<) resolved, as Docker Compose does.
const compose = parse(readFileSync(new URL("../../docker-compose.yml", import.meta.url), "utf8"), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      entrypoint?: string[];
      ports?: string[];
      depends_on?: string[];
      environment?: Record<string, string>;
    }
  >;
};

test("default: docker-compose.yml is valid YAML with every service of the product", () => {
  expect(Object.keys(compose.services).sort()).toEqual(["api", "base", "devnet", "indexer", "og", "postgres", "web"]);
  for (const [name, service] of Object.entries(compose.services))
    for (const dependency of service.depends_on ?? [])
      expect(compose.services, `${name} depends on it`).toHaveProperty(dependency);
});

test("behavior: the compose chains use the devnet's chain ids and loopback ports", () => {
  const flag = (service: string, name: string) => {
    const args = compose.services[service]!.entrypoint!;
    return args[args.indexOf(name) + 1];
  };
  expect([flag("base", "--chain-id"), flag("base", "--port")]).toEqual([String(BASE_CHAIN_ID), "8545"]);
  expect([flag("og", "--chain-id"), flag("og", "--port")]).toEqual([String(OG_CHAIN_ID), "8546"]);
  for (const service of Object.values(compose.services))
    for (const port of service.ports ?? []) expect(port.startsWith("127.0.0.1:")).toBe(true);
});

test("behavior: the containers that publish a port listen beyond their loopback, and the explorer reaches the API", () => {
  const { api, web, indexer } = compose.services;
  expect(api!.environment).toMatchObject({ HOST: "0.0.0.0", PONDER_TELEMETRY_DISABLED: "true" });
  expect(web!.environment).toMatchObject({ WEB_HOST: "0.0.0.0", SETTLESCAN_API_URL: "http://api:4000" });
  // Shared settings reach every Node service through the merged anchor.
  expect(indexer!.environment?.DATABASE_URL).toBe(api!.environment?.DATABASE_URL);
});
