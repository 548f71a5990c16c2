import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { parse } from "yaml";
import { BASE_CHAIN_ID, OG_CHAIN_ID } from "./chains";

const compose = parse(readFileSync(new URL("../../docker-compose.yml", import.meta.url), "utf8")) as {
  services: Record<string, { image?: string; entrypoint?: string[]; ports?: string[]; depends_on?: string[] }>;
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
