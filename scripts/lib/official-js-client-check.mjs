// Drives the official Massive JavaScript client, unchanged, against a URL (the emulator's).
// usage: node official-js-client-check.mjs ws://127.0.0.1:<port> <good key>
import { websocketClient } from "@massive.com/client-js";

const base = process.argv[2], key = process.argv[3];
const fail = (why) => { console.log("FAIL: " + why); process.exit(1); };
setTimeout(() => fail("timed out"), 20000);

function run(apiKey) {
  return new Promise((resolve) => {
    const ws = websocketClient(apiKey, base).stocks();
    const statuses = [], types = {};
    let events = 0;
    ws.onmessage = ({ data }) => {
      for (const m of JSON.parse(data)) {
        if (m.ev === "status") {
          statuses.push(m.status);
          if (m.status === "auth_success") {
            ws.send(JSON.stringify({ action: "subscribe", params: "T.AAPL,Q.MSFT,A.*,XX.UNKNOWN" }));
          }
        } else {
          events++;
          types[m.ev] = (types[m.ev] || 0) + 1;
        }
      }
      if (events >= 300) { ws.close(); resolve({ statuses, events, types }); }
    };
    ws.onclose = () => resolve({ statuses, events, types });
  });
}

const good = await run(key);
console.log("good key:", JSON.stringify(good));
if (good.statuses.slice(0, 2).join() !== "connected,auth_success") fail("handshake");
if (good.statuses.filter((s) => s === "success").length !== 3) fail("expected 3 acks (unknown prefix dropped)");
if (!good.types.T || !good.types.Q || !good.types.A) fail("expected T, Q and A events");
const bad = await run(key + "-wrong");
console.log("bad key:", JSON.stringify(bad));
if (!bad.statuses.includes("auth_failed")) fail("expected auth_failed");
console.log("OK: the official JS client works against the emulator");
process.exit(0);
