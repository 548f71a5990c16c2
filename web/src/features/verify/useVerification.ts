import type { NetworkProfile, VerifyCheck, VerifyReport, VerifySources } from "@settlescan/abis";
import { useCallback, useEffect, useRef, useState } from "react";
import { runVerification, type VerifySubject } from "./verification";

/** A verification in this browser: not started, running (the checks decided so far), done, or failed to run. */
export type VerificationState =
  | { phase: "idle" }
  | { phase: "running"; checks: VerifyCheck[]; startedAt: number }
  | { phase: "done"; checks: VerifyCheck[]; report: VerifyReport; elapsedMs: number }
  | { phase: "error"; checks: VerifyCheck[]; message: string };

/**
 * Runs the verifier in this browser on demand, keeping each check as it is decided; a newer run supersedes an older.
 * @example const { state, run } = useVerification(); run(subject, { profile, sources })
 */
export function useVerification() {
  const [state, setState] = useState<VerificationState>({ phase: "idle" });
  const current = useRef(0);
  useEffect(
    () => () => {
      current.current++;
    },
    [],
  );
  const run = useCallback(
    async (subject: VerifySubject, { profile, sources }: { profile: NetworkProfile; sources: VerifySources }) => {
      const id = ++current.current;
      const startedAt = performance.now();
      let checks: VerifyCheck[] = [];
      setState({ phase: "running", checks, startedAt });
      try {
        const report = await runVerification(subject, {
          profile,
          sources,
          onCheck: (check) => {
            if (id !== current.current) return;
            checks = [...checks, check];
            setState({ phase: "running", checks, startedAt });
          },
        });
        if (id === current.current)
          setState({
            phase: "done",
            checks: report.checks,
            report,
            elapsedMs: Math.round(performance.now() - startedAt),
          });
      } catch (error) {
        if (id === current.current)
          setState({ phase: "error", checks, message: error instanceof Error ? error.message : String(error) });
      }
    },
    [],
  );
  return { state, run };
}
