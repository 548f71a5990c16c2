import { ListPage } from "../features/history/ListPage";
import { INFERENCE_LIST } from "../features/inference/inferenceList";

/** Every indexed inference, by state, payment link and enclave, newest counting settlement first. */
export function InferencesPage() {
  return <ListPage list={INFERENCE_LIST} />;
}
