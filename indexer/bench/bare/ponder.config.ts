// The bare baseline indexes exactly what Settlescan indexes: the same chains, RPC transport (RPC_FAN_OUT),
// contracts, start/end blocks, block sources, ordering and database choice, because it is Settlescan's config
// object itself. Only the schema and handlers differ.
import settlescan from "../../ponder.config";

export default settlescan;
