import type { RouteObject } from "react-router";
import {
  AddressRoute,
  BatchRoute,
  InferenceRoute,
  PaymentRoute,
  ReceiptRoute,
  SearchRoute,
  TransactionRoute,
} from "./entity";
import { RootError, RootRoute } from "./root";
import { HistoryRoute, HomeRoute, InferencesRoute, NotFoundRoute, PaymentsRoute, TeesRoute } from "./simple";

/**
 * Every URL of the explorer; each is shareable (ids, filters, pages and ranges live in the path and query). None may
 * start with /graphql, /export or /blob: the explorer's server forwards those to the API.
 */
export const routes: RouteObject[] = [
  {
    path: "/",
    Component: RootRoute,
    ErrorBoundary: RootError,
    children: [
      { index: true, Component: HomeRoute },
      { path: "search", Component: SearchRoute },
      { path: "inference/:id", Component: InferenceRoute },
      { path: "receipt/:id", Component: ReceiptRoute },
      { path: "payment/:id", Component: PaymentRoute },
      { path: "tx/:hash", Component: TransactionRoute },
      { path: "address/:address", Component: AddressRoute },
      { path: "batch/:root", Component: BatchRoute },
      { path: "tees", Component: TeesRoute },
      { path: "history", Component: HistoryRoute },
      { path: "inferences", Component: InferencesRoute },
      { path: "payments", Component: PaymentsRoute },
      { path: "dashboard", lazy: () => import("./dashboard") },
      { path: "verify", lazy: () => import("./verify") },
      { path: "*", Component: NotFoundRoute },
    ],
  },
];
