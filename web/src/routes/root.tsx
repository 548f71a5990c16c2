import { isRouteErrorResponse, useRouteError } from "react-router";
import { Layout } from "../ui/Layout";

export function RootRoute() {
  return <Layout />;
}

/** A render error or failed lazy load: say so instead of a blank page. */
export function RootError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : (error as Error)?.message;
  return (
    <div className="status error" role="alert">
      <h2>Something went wrong</h2>
      <p>{message}</p>
      <p>
        <a href="/">Back to the start</a>
      </p>
    </div>
  );
}
