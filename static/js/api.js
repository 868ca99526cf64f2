// The one client every auditapp page uses for /api/v1: JSON fetch with the CSRF header, and sync() that
// sends each visit's outbox (outbox.js) and decides, per answer of the server, what waits and what is told.
// Pages only call put() and sync() and listen to "auditapp:sync" events; no answer of the server, and no
// missing answer, ever drops a queued change.

import { forget, halt, isEmpty, put, read, refusals, refuse, resume, unsent, visits } from "./outbox.js";

export { put, read, refusals, resume };

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

/** What a failed request means for the auditor, as the state the pages show a text for. */
export function stateOf(error) {
  if (!error.status) return "offline";
  if (error.status >= 500) return "retry";
  if (error.status === 401) return "login";
  if (error.code === "csrf") return "reload"; // logged in again elsewhere: this page's token is stale
  return { 404: "gone", 409: "locked", 422: "invalid" }[error.status] || "error";
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
  // A 200 that is not the API's JSON (a hotel wifi's login page) did not reach the app: as good as offline.
  if (data === null && response.status !== 204) throw new ApiError(0, null);
  return data;
}

/** Tell whether a visit has changes that sync() would send now. */
export function pending(id) {
  const box = read(id);
  return !box.halted && !isEmpty(unsent(box));
}

function emit(id, state, detail = {}) {
  window.dispatchEvent(new CustomEvent("auditapp:sync", { detail: { visit: String(id), state, ...detail } }));
}

function body(sent) {
  return {
    answers: Object.entries(sent.answers).map(([standard, a]) => ({ standard, ...a })),
    staff: Object.entries(sent.staff).map(([touchpoint, name]) => ({ touchpoint, name })),
    ...sent.visit,
  };
}

// Which sent changes a 422 names, as [{kind, key, message}]: standard keys, visit fields, staff[i], answers[i].
// A refusal that names none of them is laid on all of them, so it is never sent again unchanged.
function named(sent, error) {
  const answers = Object.keys(sent.answers);
  const staff = Object.keys(sent.staff);
  const bad = [];
  for (const [field, message] of Object.entries(error.fields)) {
    let m;
    if (field in sent.answers) bad.push({ kind: "answers", key: field, message });
    else if (field in sent.visit) bad.push({ kind: "visit", key: field, message });
    else if ((m = /^staff\[(\d+)\]$/.exec(field)) && staff[m[1]]) bad.push({ kind: "staff", key: staff[m[1]], message });
    else if ((m = /^answers\[(\d+)\]$/.exec(field)) && answers[m[1]]) bad.push({ kind: "answers", key: answers[m[1]], message });
  }
  if (bad.length) return bad;
  return Object.entries(sent).flatMap(([kind, changes]) => Object.keys(changes).map((key) => ({ kind, key, message: error.message })));
}

// Where the visit stands once a request is over, for the page to show.
function settled(id, detail = {}) {
  const box = read(id);
  if (box.halted) emit(id, box.halted.state, { message: box.halted.message });
  else if (Object.keys(box.refused).length) emit(id, "invalid", { refused: refusals(box), ...detail });
  else if (!isEmpty(box)) emit(id, "saving", detail);
  else emit(id, "saved", detail);
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
  const box = read(id);
  const sent = unsent(box);
  if (box.halted || isEmpty(sent)) {
    if (!isEmpty(box)) settled(id); // nothing to send, but the page should still say why it waits
    return;
  }
  emit(id, "saving");
  try {
    const visit = await api("PUT", `/api/v1/visits/${id}/answers`, body(sent));
    forget(id, sent);
    settled(id, { data: visit });
  } catch (e) {
    const state = stateOf(e);
    if (state === "invalid") {
      // The whole request was refused: keep the named changes, marked, and send the others again.
      refuse(id, sent, named(sent, e));
      settled(id);
      if (pending(id)) run.again = true;
    } else if (state === "locked" || state === "gone") {
      // Submitted, approved or no longer this auditor's: asking again cannot help until the form opens anew.
      halt(id, state, e.message);
      settled(id);
    } else {
      // Offline, a server error, or a session to renew: all kept; the timer below tries again.
      emit(id, state === "error" ? "retry" : state, { message: e.message });
    }
  }
}

/** Retry every visit's outbox that can be sent: on load, when the phone comes back online, and every few seconds. */
export function syncAll() {
  return Promise.all(visits().filter(pending).map(sync));
}

window.addEventListener("online", syncAll);
setInterval(() => { if (navigator.onLine !== false) syncAll(); }, RETRY_MS);
setTimeout(syncAll, 0);
