import type { Connection } from "../pagination";

export const typeDefs = /* GraphQL */ `
  "Relay page information: whether more rows follow, and the cursors to continue from."
  type PageInfo {
    "Whether rows follow this page: pass endCursor as \`after\` to get them."
    hasNextPage: Boolean!
    "True when the page was asked for with \`after\` (rows come before it)."
    hasPreviousPage: Boolean!
    "The cursor of the page's first row; null for an empty page."
    startCursor: String
    "The cursor of the page's last row; null for an empty page."
    endCursor: String
  }

  "A sort direction."
  enum OrderDirection {
    "Smallest (or oldest) first."
    ASC
    "Largest (or newest) first."
    DESC
  }
`;

/** Resolvers shared by every `XxxConnection` type: `totalCount` runs its query only when selected. */
export const connectionResolvers = {
  totalCount: (connection: Connection<unknown>) => connection.totalCount(),
};

export const resolvers = {};
