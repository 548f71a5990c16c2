// The floor indexes exactly what Settlescan indexes (its config object itself), like the bare app.
import settlescan from "../../ponder.config";

export default settlescan;
