// The sync engine: sends what the phone keeps (store.js) to the server, one request at a time and one tab at a
// time (Web Locks), and removes a record only when the app's JSON acknowledged exactly it (the echoed sync_id,
// client_id or visit id). No connection, a portal, a server error or a lost session keep everything and retry
// with backoff and jitter; a refusal (409, 413, 422) keeps the record, marked, until the auditor resolves it.
// Pages call start() once and syncNow() for "sync now"; they listen to "auditapp:sync" events on window.
import { api } from "./http.js";
import * as store from "./store.js";

const TICK_MS = 15000;
const MAX_BACKOFF_MS = 60000;
const STOPS = ["offline", "retry", "login", "csrf"]; // troubles of the connection or session, not of one record

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID(); // only in secure contexts
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Where the sync stands: "idle" | "sending" | one of STOPS; pages show it with the counts of what waits. */
export let trouble = "idle";
let failures = 0;
let backoff = null;
let running = null;
let again = false;
let forced = false;

function emit(detail) {
  window.dispatchEvent(new CustomEvent("auditapp:sync", { detail: { trouble, ...detail } }));
}

/** Send everything now, whatever the backoff said: the auditor asked, or the connection came back. */
export function syncNow() {
  clearTimeout(backoff);
  backoff = null;
  return run(true);
}

// One pass at a time; a request for another during a pass runs one more after it — after a failed pass only
// when asked for now (the backoff decides otherwise).
function run(now = false) {
  if (!store.user) return Promise.resolve();
  if (running) {
    again = true;
    forced ||= now;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        forced = false;
        await exclusively(pass);
      } while (again && (trouble === "idle" || forced));
    } finally {
      running = null;
    }
  })();
  return running;
}

// One tab syncs at a time; another tab (or the page being left) finds the lock taken and leaves it to the first,
// shows what waits, and looks again shortly.
const BUSY_MS = 2000;

function exclusively(fn) {
  if (!navigator.locks) return fn();
  return navigator.locks.request(`auditapp-sync-${store.user}`, { ifAvailable: true }, async (lock) => {
    if (lock) return fn();
    emit({ summary: await store.summary() });
    if (!backoff) backoff = setTimeout(() => { backoff = null; run(); }, BUSY_MS);
    return null;
  });
}

async function pass() {
  let stopped = null;
  for (const [visit, waits] of Object.entries(await store.summary())) {
    if (waits.halted) continue;
    trouble = "sending";
    emit({ visit });
    try {
      await sendVisit(visit);
    } catch (e) {
      if (!STOPS.includes(e.kind)) console.error(e); // a fault of this code: keep everything, try again later
      stopped = STOPS.includes(e.kind) ? e : { kind: "retry" };
      break;
    }
  }
  if (stopped) {
    trouble = stopped.kind === "csrf" ? "login" : stopped.kind;
    failures += 1;
    if (trouble !== "login") {
      const delay = Math.min(MAX_BACKOFF_MS, 2000 * 2 ** (failures - 1)) * (0.5 + Math.random());
      backoff = setTimeout(() => { backoff = null; run(); }, delay);
    }
  } else {
    trouble = "idle";
    failures = 0;
  }
  emit({ summary: await store.summary() });
}

async function sendVisit(visit) {
  const ops = await store.opsOf(visit);
  for (const op of ops.filter((o) => o.kind === "start" && !o.refused)) if (!(await sendOp(op))) return;
  if (!(await sendChanges(visit))) return;
  for (const photo of await store.photosOf(visit)) {
    if (photo.state === "waiting" && !(await sendPhoto(photo))) return;
  }
  // Read again: an upload may have queued a caption or a delete on its way.
  const later = await store.opsOf(visit);
  for (const op of later.filter((o) => ["caption", "delete"].includes(o.kind) && !o.refused)) if (!(await sendOp(op))) return;
  const left = (await store.summary())[visit];
  const submit = later.find((o) => o.kind === "submit" && !o.refused);
  if (submit && left && left.changes === 0 && left.photos === 0 && left.ops === 1) await sendOp(submit);
}

const iso = (ms) => new Date(ms).toISOString();

function bodyOf(records, syncId) {
  const body = { answers: [], staff: [], sync_id: syncId };
  for (const r of records) {
    if (r.kind === "answer") body.answers.push({ standard: r.key, ...r.change, changed_at: iso(r.at) });
    else if (r.kind === "staff") body.staff.push({ touchpoint: r.key, name: r.change, changed_at: iso(r.at) });
    else Object.assign(body, r.change, { changed_at: iso(r.at) });
  }
  return body;
}

// The records a 422 names: a standard key, a detail field, staff[i] or answers[i]; a refusal naming none of
// them is laid on all, so nothing is sent again unchanged.
function named(records, error) {
  const answers = records.filter((r) => r.kind === "answer");
  const staff = records.filter((r) => r.kind === "staff");
  const refused = [];
  for (const [field, message] of Object.entries(error.fields)) {
    let m;
    const record = answers.find((r) => r.key === field)
      || records.find((r) => r.kind === "details" && field in r.change)
      || ((m = /^staff\[(\d+)\]$/.exec(field)) && staff[m[1]])
      || ((m = /^answers\[(\d+)\]$/.exec(field)) && answers[m[1]]);
    if (record) refused.push({ record, message, field });
  }
  return refused.length ? refused : records.map((record) => ({ record, message: error.message }));
}

/** Send one change the phone could not keep (its storage is full) straight away; true if the server took it. */
export async function sendDirect(visit, kind, key, change) {
  const syncId = uuid();
  try {
    const ack = await api("PUT", `/api/v1/visits/${visit}/answers`, bodyOf([{ kind, key, change, at: Date.now() }], syncId));
    return !!ack && ack.sync_id === syncId;
  } catch (e) {
    return false;
  }
}

/** Send a visit's changes in one request; false when the visit cannot take more now. */
async function sendChanges(visit) {
  const records = (await store.changesOf(visit)).filter((r) => r.refused === null);
  if (!records.length) return true;
  const syncId = uuid();
  try {
    const ack = await api("PUT", `/api/v1/visits/${visit}/answers`, bodyOf(records, syncId));
    if (!ack || ack.sync_id !== syncId) throw Object.assign(new Error("no acknowledgement"), { kind: "offline" });
    await store.dropChanges(records);
    emit({ visit, ack });
    return true;
  } catch (e) {
    return refusal(visit, e, () => store.refuseChanges(named(records, e)));
  }
}

async function sendPhoto(photo) {
  const data = new FormData();
  data.append("file", photo.blob, photo.name);
  data.append("client_id", photo.client_id);
  if (photo.standard) data.append("standard", photo.standard);
  else data.append("touchpoint", photo.touchpoint);
  if (photo.caption) data.append("caption", photo.caption);
  try {
    const ack = await api("POST", `/api/v1/visits/${photo.visit}/photos`, data);
    if (!ack || ack.client_id !== photo.client_id) throw Object.assign(new Error("no acknowledgement"), { kind: "offline" });
    const now = await store.updatePhoto(photo.client_id, { state: "synced", id: ack.id, thumbnail_url: ack.thumbnail_url });
    if (!now) { // deleted on the phone while it was on its way: the server's copy goes too
      await store.putOp({ id: `delete-${ack.id}`, kind: "delete", visit: photo.visit, photo: ack.id });
    } else if (now.caption !== (photo.caption || "")) { // typed while the photo was on its way
      await store.putOp({ id: `caption-${ack.id}`, kind: "caption", visit: photo.visit, photo: ack.id, caption: now.caption });
    }
    emit({ visit: photo.visit, photo: photo.client_id });
    return true;
  } catch (e) {
    return refusal(photo.visit, e, () => store.updatePhoto(photo.client_id, { state: "refused", message: e.message }));
  }
}

const OPS = {
  start: (op) => ["POST", `/api/v1/visits/${op.visit}/start`, { operation: op.id }],
  submit: (op) => ["POST", `/api/v1/visits/${op.visit}/submit`, { operation: op.id }],
  caption: (op) => ["PATCH", `/api/v1/photos/${op.photo}`, { caption: op.caption }],
  delete: (op) => ["DELETE", `/api/v1/photos/${op.photo}`, undefined],
};

async function sendOp(op) {
  try {
    const ack = await api(...OPS[op.kind](op));
    const acknowledged = op.kind === "delete" ? ack === null : ack && String(ack.id) === String(op.kind === "caption" ? op.photo : op.visit);
    if (!acknowledged) throw Object.assign(new Error("no acknowledgement"), { kind: "offline" });
    await store.dropOp(op);
    emit({ visit: op.visit, op: op.kind, ack });
    return true;
  } catch (e) {
    if (e.kind === "gone" && ["caption", "delete"].includes(op.kind)) { // the photo is gone: what was asked, or moot
      await store.dropOp(op);
      return true;
    }
    return refusal(op.visit, e, () => store.markOp(op, { refused: e.message, fields: e.fields || {} }));
  }
}

// What a failed request does to its record: connection troubles stop the pass (everything kept, retried later);
// a closed visit holds all its work back; any other refusal marks this record and the pass goes on.
async function refusal(visit, error, mark) {
  if (STOPS.includes(error.kind)) throw error;
  if ((error.kind === "locked" && !error.fields.client_id && !error.fields.operation) || error.kind === "gone") {
    await store.halt(visit, error.kind, error.message);
    emit({ visit });
    return false;
  }
  await mark();
  emit({ visit });
  return true;
}

let started = false;

/** Sync on load, when the phone comes back online or the page back into view, and on a timer while open. */
export function start() {
  if (started || !store.user) return;
  started = true;
  window.addEventListener("online", syncNow);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") syncNow(); });
  setInterval(() => { if (!backoff && trouble !== "login") run(); }, TICK_MS);
  store.summary().then((summary) => emit({ summary })); // what waits, shown at once, before any request
  run();
}
