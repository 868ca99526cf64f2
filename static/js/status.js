// Where the auditor's data is, in words: "Synced", "Saved on this phone", "3 changes waiting · 5 min".
// The texts come translated from data-msg-* attributes of the element that shows them.

/** Pick the state of a visit (or of all, when `waits` sums them) from what waits and how the sync goes. */
export function stateOf(waits, trouble) {
  if (waits && waits.halted) return waits.halted.state; // "locked" | "gone"
  const count = waits ? waits.changes + waits.photos + waits.ops : 0;
  if (!count) return "synced";
  if (waits.refused && waits.refused === count) return "invalid";
  if (trouble === "login") return "login";
  if (trouble === "sending") return "sending";
  if (trouble === "offline" || trouble === "retry") return "local";
  return "waiting";
}

function minutes(since) {
  return Math.max(0, Math.round((Date.now() - since) / 60000));
}

/** The sentence for a state, from `el`'s data-msg-<state>; {n} and {age} are filled in. */
export function sentence(el, state, waits) {
  const count = waits ? waits.changes + waits.photos + waits.ops : 0;
  const key = "msg" + state[0].toUpperCase() + state.slice(1);
  let text = el.dataset[key] || state;
  if (count && ["local", "waiting", "login", "sending"].includes(state)) {
    const age = waits.oldest !== Infinity ? minutes(waits.oldest) : 0;
    const pattern = count === 1 ? el.dataset.msgWaitingOne : el.dataset.msgWaitingMany;
    if (pattern) text += " · " + pattern.replace("{n}", count).replace("{age}", age);
  }
  return text;
}

/** Sum the waits of every visit, for the pages that speak of all of them. */
export function total(summary) {
  const all = { changes: 0, photos: 0, ops: 0, refused: 0, oldest: Infinity, halted: null };
  for (const w of Object.values(summary || {})) {
    all.changes += w.changes;
    all.photos += w.photos;
    all.ops += w.ops;
    all.refused += w.refused;
    all.oldest = Math.min(all.oldest, w.oldest);
  }
  return all;
}
