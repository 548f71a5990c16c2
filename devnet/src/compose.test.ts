import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { BASE_CHAIN_ID, OG_CHAIN_ID } from "./chains";

const ROOT = join(import.meta.dirname, "..", "..");
const COMPOSE_FILE = join(ROOT, "docker-compose.yml");
/** The tag every Settlescan service runs: the one image the Dockerfile builds. */
const IMAGE = "settlescan:local";

type Service = {
  build?: string | { context: string };
  image?: string;
  command?: string[];
  entrypoint?: string[];
  ports?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
};

// Merge keys (<<) resolved, as Docker Compose does.
const compose = parse(readFileSync(COMPOSE_FILE, "utf8"), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const dependenciesOf = (service: Service) =>
  Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});

/** The roles scripts/container.mjs accepts, from its own answer to no role. */
function containerRoles(): string[] {
  const result = spawnSync(process.execPath, [join(ROOT, "scripts", "container.mjs")], { encoding: "utf8" });
  expect(result.status).toBe(2);
  return result.stderr.match(/expected one of ([a-z, ]+) \(/)![1]!.split(", ");
}

/** The value after `flag` in a service's command. */
const flag = (service: string, name: string) => {
  const args = services[service]!.command!;
  return args.includes(name) ? args[args.indexOf(name) + 1] : undefined;
};

describe("docker-compose.yml", () => {
  test("default: every service of the product, each dependency a service", () => {
    expect(Object.keys(services).sort()).toEqual(["api", "base", "devnet", "indexer", "og", "postgres", "web"]);
    for (const [name, service] of Object.entries(services))
      for (const dependency of dependenciesOf(service))
        expect(services, `${name} depends on it`).toHaveProperty(dependency);
  });

  test("behavior: every Settlescan service runs the one built image with a role of its entry point", () => {
    const roles = containerRoles();
    expect(roles).toEqual(["indexer", "api", "web", "devnet", "anvil"]);
    const settlescan = Object.entries(services).filter(([name]) => name !== "postgres");
    expect(settlescan).toHaveLength(6);
    for (const [name, service] of settlescan) {
      expect([name, service.build, service.image]).toEqual([name, ".", IMAGE]);
      expect(service.entrypoint, name).toBeUndefined();
      expect(roles, name).toContain(service.command?.[0]);
    }
    expect(Object.fromEntries(settlescan.map(([name, s]) => [name, s.command![0]]))).toEqual({
      base: "anvil",
      og: "anvil",
      devnet: "devnet",
      indexer: "indexer",
      api: "api",
      web: "web",
    });
  });

  test("behavior: nothing is installed or built when a container starts", () => {
    // Everything a container runs or mounts, as parsed (comments aside).
    const text = JSON.stringify(services);
    expect(text).toContain('"command":["indexer"]');
    expect(text).not.toMatch(/\b(pnpm|npm|npx|yarn|install|vite)\b/);
    for (const service of Object.values(services)) {
      expect(service.command?.join(" ") ?? "").not.toMatch(/\bsh\b/);
      // The source is the image's: no checkout mounted over /app.
      expect(service.volumes?.filter((volume) => volume.startsWith(".")) ?? []).toEqual([]);
    }
  });

  test("behavior: the chains use the devnet's chain ids, its anvil flags and loopback ports", () => {
    expect([flag("base", "--chain-id"), flag("base", "--port")]).toEqual([String(BASE_CHAIN_ID), "8545"]);
    expect([flag("og", "--chain-id"), flag("og", "--port")]).toEqual([String(OG_CHAIN_ID), "8546"]);
    for (const chain of ["base", "og"]) {
      // As devnet/src/chains.ts starts anvil: bulk scenarios need the gas and code-size limits.
      expect([flag(chain, "--gas-limit"), flag(chain, "--code-size-limit"), flag(chain, "--accounts")]).toEqual([
        "1000000000000",
        "100000",
        "13",
      ]);
      expect(flag(chain, "--host")).toBe("0.0.0.0");
    }
    for (const service of Object.values(services))
      for (const port of service.ports ?? []) expect(port.startsWith("127.0.0.1:")).toBe(true);
  });

  test("behavior: the containers that publish a port listen beyond their loopback, and the explorer reaches the API", () => {
    const { api, web, indexer, devnet } = services;
    expect(api!.environment).toMatchObject({ HOST: "0.0.0.0", PONDER_TELEMETRY_DISABLED: "true" });
    expect(web!.environment).toMatchObject({ WEB_HOST: "0.0.0.0", SETTLESCAN_API_URL: "http://api:4000" });
    expect(devnet!.environment).toMatchObject({ WALRUS_HOST: "0.0.0.0" });
    // Shared settings reach every Node service through the merged anchor.
    expect(indexer!.environment?.DATABASE_URL).toBe(api!.environment?.DATABASE_URL);
  });

  test("behavior: the indexer reads the profile the devnet shares, once the devnet has shared it", () => {
    const { indexer, devnet } = services;
    const shareDir = devnet!.environment!.DEVNET_SHARE_DIR!;
    expect(indexer!.environment!.SETTLESCAN_NETWORK).toBe(`${shareDir}/profile.json`);
    const volumeOf = (service: Service) => service.volumes!.find((v) => v.split(":")[1] === shareDir)!.split(":")[0];
    expect(volumeOf(devnet!)).toBe(volumeOf(indexer!));
    expect(devnet!.healthcheck!.test).toEqual(["CMD", "test", "-f", `${shareDir}/profile.json`]);
    expect(indexer!.depends_on).toMatchObject({ devnet: { condition: "service_healthy" } });
  });
});

describe("docker-compose config", () => {
  // Debian's docker-compose (1.29) parses and validates the file as Docker does, with no engine (.ci/run installs it).
  const normalized = () => {
    const output = execFileSync("docker-compose", ["-f", COMPOSE_FILE, "config"], { cwd: ROOT, encoding: "utf8" });
    return parse(output) as { services: Record<string, Service>; volumes: Record<string, unknown> };
  };

  test("default: Docker Compose accepts the file, with the built image and its role for every service", () => {
    const config = normalized();
    expect(Object.keys(config.services).sort()).toEqual(Object.keys(services).sort());
    const commands: Record<string, string[] | undefined> = {};
    for (const [name, service] of Object.entries(config.services)) {
      commands[name] = service.command?.slice(0, 1);
      if (name === "postgres") continue;
      expect([name, service.image, service.build]).toEqual([name, IMAGE, { context: ROOT }]);
    }
    expect(commands).toEqual({
      api: ["api"],
      base: ["anvil"],
      devnet: ["devnet"],
      indexer: ["indexer"],
      og: ["anvil"],
      postgres: undefined,
      web: ["web"],
    });
    expect(config.services.postgres!.image).toBe("postgres:15");
    expect(Object.keys(config.volumes).sort()).toEqual(["devnet", "pgdata"]);
  });

  test("behavior: as Docker Compose reads them, published ports stay on 127.0.0.1 and start waits on health", () => {
    const config = normalized();
    const published = Object.values(config.services).flatMap((service) => service.ports ?? []);
    expect(published.sort()).toEqual([
      "127.0.0.1:4000:4000/tcp",
      "127.0.0.1:42069:42069/tcp",
      "127.0.0.1:5173:5173/tcp",
      "127.0.0.1:5432:5432/tcp",
      "127.0.0.1:8545:8545/tcp",
      "127.0.0.1:8546:8546/tcp",
    ]);
    expect(config.services.indexer!.depends_on).toEqual({
      devnet: { condition: "service_healthy" },
      postgres: { condition: "service_healthy" },
    });
    expect(config.services.indexer!.environment).toMatchObject({
      PONDER_TELEMETRY_DISABLED: "true",
      DATABASE_URL: "postgres://settlescan:settlescan@postgres:5432/settlescan",
    });
  });
});
