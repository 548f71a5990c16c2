import { BUILT_IN_PROFILES, type NetworkProfile, parseProfile } from "@settlescan/abis";

/** The profile JSON the build was made for (vite.config.ts `define`); null: the built-in opengradient profile. */
declare const __SETTLESCAN_PROFILE__: unknown;

/** The network a verification runs on, and where it reads by default. */
export type ExplorerNetwork = {
  profile: NetworkProfile;
  /** The verification chain RPC; empty when the profile names none (the user must give one). */
  rpcUrl: string;
  aggregator: string;
  /** Why this profile: where it came from. */
  origin: string;
};

/**
 * The network from a profile's JSON, or the built-in opengradient profile (no RPC) when there is none. A profile that
 * does not parse throws `ProfileError`.
 * @example networkOf(null).profile.name // "opengradient"
 */
export function networkOf(json: unknown): ExplorerNetwork {
  const profile =
    json == null ? BUILT_IN_PROFILES.opengradient : parseProfile(json, "the profile this explorer was built for");
  return {
    profile,
    rpcUrl: profile.verification.rpcUrl ?? "",
    aggregator: profile.verification.walrus.aggregator,
    origin:
      json == null
        ? "the built-in opengradient profile (it names no public RPC: give one)"
        : `the ${profile.name} profile this explorer was built for`,
  };
}

let built: ExplorerNetwork | undefined;

/** The network this explorer was built for (parsed once). */
export function explorerNetwork(): ExplorerNetwork {
  built ??= networkOf(typeof __SETTLESCAN_PROFILE__ === "undefined" ? null : __SETTLESCAN_PROFILE__);
  return built;
}
