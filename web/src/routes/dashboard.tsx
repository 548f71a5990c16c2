// Lazy: this module (and through it the chart library) loads when /dashboard is first opened.
import { DashboardPage } from "../pages/DashboardPage";

export function Component() {
  return <DashboardPage />;
}
