// Where a visit's unsent changes wait: the only module that knows they live in localStorage, so the
// offline-first work can move them to IndexedDB behind these few functions.
//
// One record per visit: {answers: {key: {value?, comment?}}, staff: {touchpoint: name}, visit: {field: v},
// refused: {"kind:key": server message}, halted: null | {state, message}}.
// Nothing leaves the record unless the server took it or the auditor changed it again; where localStorage
// refuses to store it, it lives in this page's memory instead.

const PREFIX = "auditapp.outbox.";
const KINDS = ["answers", "staff", "visit"];
const unstored = {}; // records localStorage refused (full, or disabled in a private window): kept for this page

const blank = () => ({ answers: {}, staff: {}, visit: {}, refused: {}, halted: null });
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const copy = (box) => JSON.parse(JSON.stringify(box));

/** Tell whether a record (or part of one) holds no change at all. */
export const isEmpty = (box) => KINDS.every((kind) => !Object.keys(box[kind]).length);

export function read(id) {
  if (unstored[id]) return copy(unstored[id]);
  try {
    return { ...blank(), ...JSON.parse(localStorage.getItem(PREFIX + id) || "{}") };
  } catch (e) {
    return blank();
  }
}

function write(id, box) {
  for (const name of Object.keys(box.refused)) {
    const [kind, key] = split(name);
    if (!box[kind] || !(key in box[kind])) delete box.refused[name]; // the change it marked is gone
  }
  try {
    if (isEmpty(box)) localStorage.removeItem(PREFIX + id);
    else localStorage.setItem(PREFIX + id, JSON.stringify(box));
    delete unstored[id];
  } catch (e) {
    if (isEmpty(box)) delete unstored[id];
    else unstored[id] = copy(box);
  }
}

/** Queue a change: put(id, "answers", key, {value}) / ("answers", key, {comment}) / ("staff", tp, name) / ("visit", field, v). */
export function put(id, kind, key, change) {
  const box = read(id);
  box[kind][key] = kind === "answers" ? { ...(box.answers[key] || {}), ...change } : change;
  delete box.refused[entry(kind, key)]; // the auditor changed it: worth asking the server again
  write(id, box);
}

/** Forget what the server took, unless it changed again while the request was under way. */
export function forget(id, sent) {
  const box = read(id);
  for (const kind of KINDS) {
    for (const [key, value] of Object.entries(sent[kind])) if (same(box[kind][key], value)) delete box[kind][key];
  }
  write(id, box);
}

/** Keep refused changes ([{kind, key, message}]) but mark them, so they are not sent again as they are. */
export function refuse(id, sent, refused) {
  const box = read(id);
  for (const { kind, key, message } of refused) {
    if (same(box[kind][key], sent[kind][key])) box.refused[entry(kind, key)] = message;
  }
  write(id, box);
}

/** Stop sending a visit's changes (it cannot take them any more) without dropping them. */
export function halt(id, state, message) {
  const box = read(id);
  box.halted = { state, message };
  write(id, box);
}

/** Send a halted visit's changes again: the server has just shown it as editable. */
export function resume(id) {
  const box = read(id);
  if (box.halted) {
    box.halted = null;
    write(id, box);
  }
}

/** The changes to send now: everything but the refused ones. */
export function unsent(box) {
  const out = { answers: {}, staff: {}, visit: {} };
  for (const kind of KINDS) {
    for (const [key, value] of Object.entries(box[kind])) if (!(entry(kind, key) in box.refused)) out[kind][key] = value;
  }
  return out;
}

/** The refused changes as [{kind, key, message}], for the page to mark at their fields. */
export function refusals(box) {
  return Object.entries(box.refused).map(([name, message]) => {
    const [kind, key] = split(name);
    return { kind, key, message };
  });
}

// A change's name in `refused`: "kind:key"; keys may hold colons, kinds do not.
const entry = (kind, key) => kind + ":" + key;

function split(name) {
  const i = name.indexOf(":");
  return [name.slice(0, i), name.slice(i + 1)];
}

/** The visits that have a record. */
export function visits() {
  const ids = new Set(Object.keys(unstored));
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key && key.startsWith(PREFIX)) ids.add(key.slice(PREFIX.length));
    }
  } catch (e) { /* storage disabled: only this page's records */ }
  return [...ids];
}
