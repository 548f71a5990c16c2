import { asc } from "drizzle-orm";
import type { Context } from "../context";
import { run, type TeeRow } from "../db";
import { teeIdOf } from "../inputs";

export const typeDefs = /* GraphQL */ `
  "An enclave as the TeeRegistry registered (and maybe revoked) it, with what it has settled."
  type Tee {
    "keccak256 of the enclave's DER public key."
    id: ID!
    publicKey: String!
    "Whether keccak256(publicKey) equals the id; when not, every receipt it signs fails attestation."
    keyMatchesId: Boolean!
    registeredAt: DateTime!
    registeredAtBlock: Int!
    registeredTx: String!
    revoked: Boolean!
    revokedAt: DateTime
    revokedAtBlock: Int
    revokedTx: String
    totals: TeeTotals!
  }

  type TeeTotals {
    receipts: Int!
    verifiedReceipts: Int!
    invalidProofReceipts: Int!
    "Sum of the receipts' amounts (base units)."
    volume: BigInt!
    lastSettledAt: DateTime
  }

  extend type Query {
    "Every registered enclave, in order of registration."
    tees: [Tee!]!
    tee(id: ID!): Tee
  }
`;

export const resolvers = {
  Query: {
    tees: (_: unknown, __: unknown, ctx: Context) =>
      run(ctx.counter, ctx.db.select().from(ctx.tables.tee).orderBy(asc(ctx.tables.tee.registeredAtBlock))),
    tee: (_: unknown, { id }: { id: string }, ctx: Context) => ctx.loaders.tee.load(teeIdOf(id)),
  },
  Tee: {
    registeredAtBlock: (row: TeeRow) => Number(row.registeredAtBlock),
    revokedAtBlock: (row: TeeRow) => (row.revokedAtBlock === null ? null : Number(row.revokedAtBlock)),
    totals: (row: TeeRow, _: unknown, ctx: Context) => ctx.loaders.teeTotals.load(row.id),
  },
};
