// The peer in the side-by-side harness (scripts/bench side-by-side): the official Massive JS client,
// one websocket per connection, JSON.parse of every message and a count of its events, as an
// application on that client would do at the least. Prints "done <events>" on stdout each time every
// connection has seen the end-of-pass marker the harness's corpus server sends.
// Argument: a JSON file {"url","key","connections":[["T.X","Q.X",...],...]} (url without /stocks).
import { readFileSync } from "node:fs";
import { websocketClient } from "@massive.com/client-js";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const MARKER = "end of corpus";
let events = 0;
let ended = 0;

for (const items of config.connections) {
  const ws = websocketClient(config.key, config.url).stocks(); // authenticates on open
  ws.onmessage = ({ data }) => {
    const messages = JSON.parse(data);
    const first = messages[0];
    if (first && first.ev === "status") {
      if (first.status === "auth_success") {
        ws.send(JSON.stringify({ action: "subscribe", params: items.join(",") }));
      } else if (first.message === MARKER && ++ended % config.connections.length === 0) {
        process.stdout.write(`done ${events}\n`);
      } else if (first.status === "auth_failed") {
        process.stderr.write(`auth failed: ${data}\n`);
        process.exit(1);
      }
      return;
    }
    events += messages.length;
  };
  ws.onerror = (e) => {
    process.stderr.write(`websocket error: ${e && e.message}\n`);
    process.exit(1);
  };
}
