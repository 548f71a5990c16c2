import { BUILT_IN_PROFILES } from "@settlescan/abis";
import { describe, expect, test } from "vitest";
import { networkOf } from "./explorerProfile";

describe("networkOf", () => {
  test("default: without a profile, the built-in opengradient one, with no RPC to offer", () => {
    const network = networkOf(null);
    expect(network.profile).toBe(BUILT_IN_PROFILES.opengradient);
    expect(network.rpcUrl).toBe("");
    expect(network.aggregator).toBe("https://aggregator.suicore.com");
    expect(network.origin).toMatchInlineSnapshot(
      `"the built-in opengradient profile (it names no public RPC: give one)"`,
    );
  });

  test("behavior: a built-for profile offers its own RPC and aggregator", () => {
    const { opengradient } = BUILT_IN_PROFILES;
    const json = {
      ...structuredClone(opengradient),
      name: "devnet",
      verification: {
        ...structuredClone(opengradient.verification),
        rpcUrl: "http://127.0.0.1:8546",
        walrus: { aggregator: "http://127.0.0.1:9000" },
      },
    };
    const network = networkOf(json);
    expect(network).toMatchObject({ rpcUrl: "http://127.0.0.1:8546", aggregator: "http://127.0.0.1:9000" });
    expect(network.origin).toBe("the devnet profile this explorer was built for");
  });

  test("args: a profile that does not parse throws, naming it", () => {
    expect(() => networkOf({ name: "broken" })).toThrow(/the profile this explorer was built for/);
  });
});
