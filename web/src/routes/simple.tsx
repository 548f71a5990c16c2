// Routes without parameters: each renders its page.

export { HistoryPage as HistoryRoute } from "../pages/HistoryPage";
export { HomePage as HomeRoute } from "../pages/HomePage";
export { InferencesPage as InferencesRoute } from "../pages/InferencesPage";
export { NotFoundPage as NotFoundRoute } from "../pages/NotFoundPage";
export { PaymentsPage as PaymentsRoute } from "../pages/PaymentsPage";
export { TeesPage as TeesRoute } from "../pages/TeesPage";
