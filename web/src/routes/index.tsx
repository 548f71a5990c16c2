import type { RouteObject } from "react-router";
import { AddressRoute, BatchRoute, PaymentRoute, ReceiptRoute, SearchRoute, TransactionRoute } from "./entity";
import { RootError, RootRoute } from "./root";
import { HistoryRoute, HomeRoute, NotFoundRoute, TeesRoute } from "./simple";

/** Every URL of the explorer; each is shareable (ids, filters, pages and ranges live in the path and query). */
export const routes: RouteObject[] = [
  {
    path: "/",
    Component: RootRoute,
    ErrorBoundary: RootError,
    children: [
      { index: true, Component: HomeRoute },
      { path: "search", Component: SearchRoute },
      { path: "receipt/:id", Component: ReceiptRoute },
      { path: "payment/:id", Component: PaymentRoute },
      { path: "tx/:hash", Component: TransactionRoute },
      { path: "address/:address", Component: AddressRoute },
      { path: "batch/:root", Component: BatchRoute },
      { path: "tees", Component: TeesRoute },
      { path: "history", Component: HistoryRoute },
      { path: "dashboard", lazy: () => import("./dashboard") },
      { path: "*", Component: NotFoundRoute },
    ],
  },
];
