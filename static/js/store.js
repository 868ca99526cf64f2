// The phone's own copy of unsent work, in IndexedDB (through idb): one database per user, written before anything
// is sent. A record leaves only when the server acknowledged exactly it, or when the auditor removes it.
//
// changes: {visit, kind: "answer"|"staff"|"details", key, change, at (ms), refused: null|message}
//          — one per standard, touchpoint or the visit's details; `at` is when the auditor made the change.
// photos:  {client_id, visit, standard|touchpoint, blob, name, caption, at, state: "waiting"|"synced"|"refused",
//           message, id (the server's, once synced)}
// ops:     {id, visit, kind: "start"|"submit"|"caption"|"delete", at, ...} — sent in order after the changes.
// halts:   {visit, state, message} — a visit the server no longer lets change (409/404): kept, not sent.
import { deleteDB, openDB } from "../vendor/idb/idb.js";

const meta = document.querySelector('meta[name="auditapp-user"]');
export const user = meta ? meta.content : "";
const NAME = `auditapp-${user}`;

/** A write the phone's storage refused (full, or disabled): the page must say so, never drop it silently. */
export class StorageFull extends Error {}

let opened;

function db() {
  opened ||= openDB(NAME, 1, {
    upgrade(d) {
      d.createObjectStore("changes", { keyPath: ["visit", "kind", "key"] }).createIndex("visit", "visit");
      d.createObjectStore("photos", { keyPath: "client_id" }).createIndex("visit", "visit");
      d.createObjectStore("ops", { keyPath: "id" }).createIndex("visit", "visit");
      d.createObjectStore("halts", { keyPath: "visit" });
    },
    blocking() { // another tab deletes the database (logout): let it
      opened.then((d) => d.close());
      opened = null;
    },
  });
  return opened;
}

async function write(fn) {
  try {
    return await fn(await db());
  } catch (e) {
    if (e && (e.name === "QuotaExceededError" || e.name === "InvalidStateError" || e.name === "UnknownError")) {
      throw new StorageFull(e.message);
    }
    throw e;
  }
}

let asked = false;

/** Ask the browser not to evict this app's storage; once per page, on the first write. */
function persist() {
  if (asked || !navigator.storage || !navigator.storage.persist) return;
  asked = true;
  navigator.storage.persist().catch(() => {});
}

/** Keep a change on the phone: the latest per standard, touchpoint or details, with when it was made. */
export function putChange(visit, kind, key, change) {
  persist();
  return write((d) => d.put("changes", { visit: String(visit), kind, key, change, at: Date.now(), refused: null }));
}

export async function changesOf(visit) {
  return (await db()).getAllFromIndex("changes", "visit", String(visit));
}

// Still the change that was sent: the same time and the same content (two changes may share a millisecond).
const same = (now, record) => !!now && now.at === record.at && JSON.stringify(now.change) === JSON.stringify(record.change);

/** Forget what the server took, unless the auditor changed it again while the request was under way. */
export async function dropChanges(sent) {
  const tx = (await db()).transaction("changes", "readwrite");
  for (const record of sent) {
    const now = await tx.store.get([record.visit, record.kind, record.key]);
    if (same(now, record)) await tx.store.delete([record.visit, record.kind, record.key]);
  }
  await tx.done;
}

/** Mark refused changes ([{record, message}]) so they are not sent again until the auditor changes them. */
export async function refuseChanges(refused) {
  const tx = (await db()).transaction("changes", "readwrite");
  for (const { record, message } of refused) {
    const now = await tx.store.get([record.visit, record.kind, record.key]);
    if (same(now, record)) await tx.store.put({ ...now, refused: message || "" });
  }
  await tx.done;
}

export function putPhoto(photo) {
  persist();
  return write((d) => d.put("photos", photo));
}

export async function photosOf(visit) {
  return (await db()).getAllFromIndex("photos", "visit", String(visit));
}

export async function updatePhoto(clientId, patch) {
  return write(async (d) => {
    const tx = d.transaction("photos", "readwrite");
    const photo = await tx.store.get(clientId);
    if (photo) await tx.store.put({ ...photo, ...patch });
    await tx.done;
    return photo ? { ...photo, ...patch } : null;
  });
}

export async function deletePhoto(clientId) {
  return (await db()).delete("photos", clientId);
}

/** Queue an operation; one of an id replaces the one before (a caption typed twice is sent once). */
export function putOp(op) {
  persist();
  return write((d) => d.put("ops", { at: Date.now(), ...op, visit: String(op.visit) }));
}

export async function opsOf(visit) {
  return (await db()).getAllFromIndex("ops", "visit", String(visit));
}

export async function dropOp(op) {
  const tx = (await db()).transaction("ops", "readwrite");
  const now = await tx.store.get(op.id);
  if (now && now.at === op.at) await tx.store.delete(op.id);
  await tx.done;
}

export async function markOp(op, patch) {
  const tx = (await db()).transaction("ops", "readwrite");
  const now = await tx.store.get(op.id);
  if (now && now.at === op.at) await tx.store.put({ ...now, ...patch });
  await tx.done;
}

export async function halt(visit, state, message) {
  return write((d) => d.put("halts", { visit: String(visit), state, message }));
}

export async function haltOf(visit) {
  return (await db()).get("halts", String(visit));
}

/** The server has just shown the visit as editable: what was held back after a 409 may go now. */
export async function resume(visit) {
  return (await db()).delete("halts", String(visit));
}

/** Every visit with work on this phone, with what waits: {visit: {changes, photos, ops, oldest, refused, halted}}. */
export async function summary() {
  const d = await db();
  const out = {};
  const entry = (visit) => (out[visit] ||= { changes: 0, photos: 0, ops: 0, oldest: Infinity, refused: 0, halted: null });
  for (const c of await d.getAll("changes")) {
    const e = entry(c.visit);
    e.changes += 1;
    e.oldest = Math.min(e.oldest, c.at);
    if (c.refused !== null) e.refused += 1;
  }
  for (const p of await d.getAll("photos")) {
    if (p.state === "synced") continue;
    const e = entry(p.visit);
    e.photos += 1;
    e.oldest = Math.min(e.oldest, p.at);
    if (p.state === "refused") e.refused += 1;
  }
  for (const o of await d.getAll("ops")) {
    const e = entry(o.visit);
    e.ops += 1;
    e.oldest = Math.min(e.oldest, o.at);
    if (o.refused) e.refused += 1;
  }
  for (const h of await d.getAll("halts")) if (out[h.visit]) out[h.visit].halted = h;
  return out;
}

/** How many records wait, over all visits. */
export async function waiting() {
  return Object.values(await summary()).reduce((n, v) => n + v.changes + v.photos + v.ops, 0);
}

/** Everything unsent, photos as data: URLs, for the "download my unsynced data" file. */
export async function exportAll() {
  const d = await db();
  const photos = [];
  for (const p of await d.getAll("photos")) {
    if (p.state === "synced") continue;
    const { blob, ...rest } = p;
    photos.push({ ...rest, type: blob ? blob.type : "", data: blob ? await dataUrl(blob) : null });
  }
  return { user, exported_at: new Date().toISOString(), changes: await d.getAll("changes"), photos,
           operations: await d.getAll("ops"), held_back: await d.getAll("halts") };
}

function dataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** Remove this user's database: only after everything was sent (logout). */
export async function wipe() {
  if (opened) (await opened).close();
  opened = null;
  await deleteDB(NAME);
}
