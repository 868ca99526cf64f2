// The one client every auditapp page uses for /api/v1: JSON fetch with the CSRF header, and an outbox of
// unsent answer changes per visit in localStorage, so a draft survives a reload and a dropped connection.
// A later IndexedDB / service-worker queue can sit in front of sync(); pages only call put() and sync().

const PREFIX = "auditapp.outbox.";
const RETRY_MS = 15000;

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || (status ? `HTTP ${status}` : "offline"));
    this.status = status; // 0: no answer at all (offline, DNS, aborted)
    this.code = error.code || "";
    this.fields = error.fields || {};
  }
}

function csrf() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

/** Call the API; resolve to the JSON body (null for 204), reject with ApiError. */
export async function api(method, url, body) {
  const headers = { Accept: "application/json", "X-CSRFToken": csrf() };
  let payload = body;
  if (body !== undefined && !(body instanceof FormData)) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body: payload, credentials: "same-origin" });
  } catch (e) {
    throw new ApiError(0, null);
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// ---- outbox: {answers: {key: {value?, comment?}}, staff: {touchpoint: name}, visit: {visited_at?, ...}}

const blank = () => ({ answers: {}, staff: {}, visit: {} });
const isEmpty = (box) => !Object.keys(box.answers).length && !Object.keys(box.staff).length && !Object.keys(box.visit).length;

export function read(id) {
  try {
    return { ...blank(), ...JSON.parse(localStorage.getItem(PREFIX + id) || "{}") };
  } catch (e) {
    return blank();
  }
}

function write(id, box) {
  try {
    if (isEmpty(box)) localStorage.removeItem(PREFIX + id);
    else localStorage.setItem(PREFIX + id, JSON.stringify(box));
  } catch (e) { /* storage full or disabled: the change still goes out with the next request */ }
}

/** Queue a change: put(id, "answers", key, {value}) / ("answers", key, {comment}) / ("staff", tp, name) / ("visit", field, v). */
export function put(id, kind, key, change) {
  const box = read(id);
  box[kind][key] = kind === "answers" ? { ...(box.answers[key] || {}), ...change } : change;
  write(id, box);
}

export function pending(id) {
  return !isEmpty(read(id));
}

function emit(id, state, detail = {}) {
  window.dispatchEvent(new CustomEvent("auditapp:sync", { detail: { visit: String(id), state, ...detail } }));
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function body(box) {
  return {
    answers: Object.entries(box.answers).map(([standard, a]) => ({ standard, ...a })),
    staff: Object.entries(box.staff).map(([touchpoint, name]) => ({ touchpoint, name })),
    ...box.visit,
  };
}

// Forget what was sent, unless it changed again while the request was under way.
function forget(id, sent, keep = () => false) {
  const box = read(id);
  for (const kind of ["answers", "staff", "visit"]) {
    for (const [key, value] of Object.entries(sent[kind])) {
      if (!keep(kind, key) && same(box[kind][key], value)) delete box[kind][key];
    }
  }
  write(id, box);
}

// Which outbox entries a 422 names: standard keys, visit fields, staff[i] and answers[i].
function named(sent, fields) {
  const answers = Object.keys(sent.answers);
  const staff = Object.keys(sent.staff);
  const bad = new Set();
  for (const field of Object.keys(fields)) {
    let m;
    if (field in sent.answers) bad.add("answers:" + field);
    else if (field in sent.visit) bad.add("visit:" + field);
    else if ((m = /^staff\[(\d+)\]$/.exec(field)) && staff[m[1]]) bad.add("staff:" + staff[m[1]]);
    else if ((m = /^answers\[(\d+)\]$/.exec(field)) && answers[m[1]]) bad.add("answers:" + answers[m[1]]);
  }
  return bad;
}

const running = {};

/** Send a visit's outbox; one request at a time per visit, and again if changes came in meanwhile. */
export function sync(id) {
  id = String(id);
  if (running[id]) {
    running[id].again = true;
    return running[id].done;
  }
  const run = { again: false };
  run.done = (async () => {
    try {
      do {
        run.again = false;
        await send(id, run);
      } while (run.again && pending(id));
    } finally {
      delete running[id];
    }
  })();
  running[id] = run;
  return run.done;
}

async function send(id, run) {
  const sent = read(id);
  if (isEmpty(sent)) return;
  emit(id, "saving");
  try {
    const visit = await api("PUT", `/api/v1/visits/${id}/answers`, body(sent));
    forget(id, sent);
    emit(id, pending(id) ? "saving" : "saved", { data: visit });
  } catch (e) {
    if (e.status === 422) {
      // The whole request was refused: drop the values it names (the page shows them at their fields)
      // and send the rest again, so one bad value never blocks the others.
      const bad = named(sent, e.fields);
      if (bad.size) forget(id, sent, (kind, key) => !bad.has(kind + ":" + key));
      else write(id, blank());
      emit(id, "invalid", { fields: e.fields, message: e.message });
      if (pending(id)) run.again = true;
    } else if (e.status === 409 || e.status === 404) {
      write(id, blank()); // the visit was submitted or is gone: nothing here can be saved any more
      emit(id, "rejected", { message: e.message });
    } else if (e.status === 401 || e.code === "csrf") {
      emit(id, "login", { message: e.message });
    } else {
      emit(id, "offline", { message: e.message });
    }
  }
}

/** Retry every visit's outbox: on load, when the phone comes back online, and every few seconds. */
export function syncAll() {
  const ids = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key && key.startsWith(PREFIX)) ids.push(key.slice(PREFIX.length));
  }
  return Promise.all(ids.map(sync));
}

window.addEventListener("online", syncAll);
setInterval(() => { if (navigator.onLine !== false) syncAll(); }, RETRY_MS);
setTimeout(syncAll, 0);
