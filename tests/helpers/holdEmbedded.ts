// Opens the embedded database of TORWATCH_DATA_DIR as `serve` would, prints its URL, and waits to be killed —
// a stand-in for a torwatch serve that crashes (SIGKILL) and leaves its postmaster behind.
import { openEmbeddedDatabase } from '../../lib/db/embedded';

const database = await openEmbeddedDatabase('serve');
console.log(database.url);
setInterval(() => {}, 60_000);
