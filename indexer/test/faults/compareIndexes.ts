import { dumpOf, rowsOf } from "../indexerProcess";

type Receipt = {
  id: string;
  state: string;
  checkPayment: boolean;
  checkInclusion: boolean;
  checkAttestation: boolean;
  checkUniqueness: boolean;
};

/** What a disturbed index got wrong against an undisturbed one of the same chains. */
export type IndexComparison = {
  equal: boolean;
  tablesDiffering: string[];
  receipts: number;
  lost: number;
  duplicated: number;
  misstated: number;
};

/**
 * Compares a disturbed index with a fresh, undisturbed one of the same final chains: per-table digests, and the
 * receipts lost (missing), duplicated (more than once) or mis-stated (other state or checks).
 */
export async function compareIndexes(disturbedUrl: string, freshUrl: string): Promise<IndexComparison> {
  const [disturbed, fresh] = await Promise.all([dumpOf(disturbedUrl), dumpOf(freshUrl)]);
  const tablesDiffering = Object.keys(fresh.tables).filter(
    (t) => disturbed.tables[t]?.digest !== fresh.tables[t]!.digest,
  );
  const [got, want] = await Promise.all([
    rowsOf<Receipt>(disturbedUrl, "receipt"),
    rowsOf<Receipt>(freshUrl, "receipt"),
  ]);
  const verdict = (r: Receipt) =>
    `${r.state}/${r.checkPayment}/${r.checkInclusion}/${r.checkAttestation}/${r.checkUniqueness}`;
  const seen = new Map<string, number>();
  for (const r of got) seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
  const gotById = new Map(got.map((r) => [r.id, r]));
  let lost = 0;
  let misstated = 0;
  for (const r of want) {
    const mine = gotById.get(r.id);
    if (!mine) lost++;
    else if (verdict(mine) !== verdict(r)) misstated++;
  }
  const duplicated = [...seen.values()].filter((n) => n > 1).length;
  // A receipt the undisturbed index does not have (a phantom left by an undone block) is mis-stated too.
  const wantIds = new Set(want.map((r) => r.id));
  const phantoms = [...gotById.keys()].filter((id) => !wantIds.has(id)).length;
  return {
    equal: tablesDiffering.length === 0 && disturbed.digest === fresh.digest,
    tablesDiffering,
    receipts: want.length,
    lost,
    duplicated,
    misstated: misstated + phantoms,
  };
}
