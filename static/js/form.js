// The visit form, local first: every change is kept on the phone (store.js) before anything is sent, and the
// sync engine (sync.js) sends it when it can. The form shows where its data is and marks what was refused.
import { grow } from "./page.js";
import { initPhotos } from "./photos.js";
import { sentence, stateOf } from "./status.js";
import * as store from "./store.js";
import { sendDirect, syncNow, trouble } from "./sync.js";

const form = document.getElementById("visit-form");
const id = form.dataset.visit;
const statusEl = document.getElementById("save-status");
const notice = document.getElementById("sync-notice");
const NOTICES = ["login", "locked", "gone", "full"]; // states the auditor must act on or know about
const DETAILS = ["visited_at", "remarks", "duration_minutes"];
let timer;

const text = (prefix, state) => form.dataset[prefix + state[0].toUpperCase() + state.slice(1)] || "";
const el = (name) => form.elements.namedItem(name);

function say(state, waits) {
  statusEl.className = "save-status " + state;
  statusEl.textContent = sentence(form, state, waits);
  tell(NOTICES.includes(state) ? state : "");
}

// The banner under the status: what happened, that nothing is lost, and the link that helps.
function tell(state) {
  if (notice.dataset.state === state) return;
  notice.dataset.state = state;
  notice.querySelector(".notice-text").textContent = state ? text("notice", state) : "";
  for (const link of notice.querySelectorAll("[data-for]")) link.hidden = !link.dataset.for.split(" ").includes(state);
  notice.hidden = !state;
}

// A control's value as the API takes it: the value and comment of a standard go together (one change time).
function answerOf(key) {
  const na = el("na-" + key);
  if (na && na.checked) return "na";
  const v = el("v-" + key);
  if (!v) return null;
  if (v instanceof RadioNodeList) return v.value || null;
  return v.value.trim();
}

function recordOf(input) {
  const name = input.name || "";
  let m;
  if ((m = /^(?:v|na|c)-(.+)$/.exec(name)) && document.getElementById("st-" + m[1])) {
    const key = m[1];
    if (name.startsWith("na-")) {
      const v = el("v-" + key);
      if (v && !(v instanceof RadioNodeList)) v.disabled = input.checked;
    }
    const comment = el("c-" + key);
    return ["answer", key, { value: answerOf(key), comment: comment ? comment.value : "" }];
  }
  if ((m = /^staff-(.+)$/.exec(name))) return ["staff", m[1], input.value];
  if (DETAILS.includes(name)) return ["details", "visit", details()];
  return null;
}

function details() {
  const out = {};
  if (el("visited_at") && el("visited_at").value) out.visited_at = el("visited_at").value;
  if (el("remarks")) out.remarks = el("remarks").value;
  const raw = el("duration_minutes") ? el("duration_minutes").value.trim() : "";
  if (raw) out.duration_minutes = /^\d+$/.test(raw) ? Number(raw) : raw;
  return out;
}

async function onChange(e, later) {
  const record = recordOf(e.target);
  if (!record) return;
  showError(fieldOf(record[0], record[1]), "");
  try {
    await store.putChange(id, ...record);
  } catch (err) {
    if (!(err instanceof store.StorageFull)) throw err;
    // Not kept on the phone: say so, and send it at once; it stays on screen either way.
    say("full");
    if (await sendDirect(id, ...record)) statusEl.textContent = text("msg", "fullSent");
    return;
  }
  refresh({}); // "Saved on this phone" at once; "Synced" only once the server acknowledged it
  clearTimeout(timer);
  if (later) timer = setTimeout(syncNow, 700);
  else syncNow();
}

form.addEventListener("change", (e) => onChange(e, false));
form.addEventListener("input", (e) => { if (e.target.matches("input[type=text], textarea")) onChange(e, true); });

const fieldOf = (kind, key) => (kind === "staff" ? "staff-" + key : key);

function showError(field, message) {
  const box = document.getElementById("err-" + field);
  const holder = document.getElementById("st-" + field) || (box && box.closest(".field"));
  if (box) {
    box.textContent = message || "";
    box.hidden = !message;
  }
  if (holder) holder.classList.toggle("has-error", !!message);
  for (const control of controlsOf(field, holder)) {
    const own = control.dataset.describedby; // what the control is always described by (a scale's ends)
    if (message) {
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", own ? `err-${field} ${own}` : "err-" + field);
    } else {
      control.removeAttribute("aria-invalid");
      if (own) control.setAttribute("aria-describedby", own);
      else control.removeAttribute("aria-describedby");
    }
  }
}

function controlsOf(field, holder) {
  const std = document.getElementById("st-" + field);
  if (std) return std.querySelectorAll(`[role=radiogroup], input[type=text][name="v-${field}"], textarea[name="v-${field}"]`);
  const own = document.getElementById(field);
  return own ? [own] : holder ? holder.querySelectorAll("input, textarea") : [];
}

// Progress: a standard counts when it has a value the server did not refuse, and its required photo.
function answered(std) {
  if (std.classList.contains("has-error")) return false;
  const key = std.dataset.key;
  const value = answerOf(key);
  const photos = std.querySelectorAll(".thumbs li:not([hidden])").length;
  const needsPhoto = std.dataset.photo === "required" && value !== "na";
  const missing = std.querySelector(".photo-missing");
  if (missing) missing.hidden = !needsPhoto || photos > 0 || !(value || std.dataset.type === "photo");
  if (std.dataset.type === "photo") return photos > 0 || value === "na";
  return !!value && (!needsPhoto || photos > 0);
}

export function progress() {
  const done = [...form.querySelectorAll(".std")].filter(answered).length;
  document.getElementById("answered").textContent = done;
  document.getElementById("progress").value = done;
}

// Lay what the phone keeps over what the server rendered: a reload or a night offline loses nothing.
async function restore() {
  for (const r of await store.changesOf(id)) {
    if (r.kind === "answer") setAnswer(r.key, r.change);
    else if (r.kind === "staff" && el("staff-" + r.key)) el("staff-" + r.key).value = r.change;
    else if (r.kind === "details") for (const [field, value] of Object.entries(r.change)) if (el(field)) el(field).value = value;
    if (r.refused !== null) markRefused(r);
  }
}

function setAnswer(key, change) {
  const v = el("v-" + key);
  const na = el("na-" + key);
  const value = change.value === null || change.value === undefined ? "" : String(change.value);
  if (v instanceof RadioNodeList) {
    for (const r of v) r.checked = r.value === value;
  } else if (v) {
    if (na) {
      na.checked = value === "na";
      v.disabled = na.checked;
    }
    v.value = value === "na" ? "" : value;
  } else if (na) na.checked = value === "na";
  const c = el("c-" + key);
  if (c && "comment" in change) {
    c.value = change.comment || "";
    if (c.value) c.closest("details").open = true;
  }
}

function markRefused(r) {
  if (r.kind === "details") {
    for (const field of Object.keys(r.change)) showError(field, r.refused);
  } else showError(fieldOf(r.kind === "answer" ? "answers" : r.kind, r.key), r.refused);
}

async function refresh(detail) {
  if (detail.ack && detail.ack.stale) {
    // A change that lost to a newer one: show what the server holds now.
    for (const a of detail.ack.answers) if (detail.ack.stale.answers.includes(a.standard)) setAnswer(a.standard, a);
  }
  const waits = (await store.summary())[id];
  if (waits && waits.refused) for (const r of await store.changesOf(id)) if (r.refused !== null) markRefused(r);
  progress();
  say(stateOf(waits, trouble), waits);
}

window.addEventListener("auditapp:sync", (e) => {
  if (!e.detail.visit || e.detail.visit === id || e.detail.summary) refresh(e.detail);
});

form.addEventListener("submit", async (e) => {
  if (e.submitter && e.submitter.name === "delete_photo") return; // photos.js handles it
  e.preventDefault();
  if (e.submitter && e.submitter.value === "review") {
    await Promise.race([syncNow(), new Promise((r) => setTimeout(r, 4000))]);
    location.href = form.dataset.submitUrl;
  } else syncNow();
});

await restore();
for (const input of form.querySelectorAll("input[data-default-now]")) {
  // page.js filled in the phone's time; keep it unless the auditor changes it
  if (!input.defaultValue && input.value) {
    const kept = (await store.changesOf(id)).some((r) => r.kind === "details");
    if (!kept) await store.putChange(id, "details", "visit", details()).catch(() => {});
  }
}
for (const na of form.querySelectorAll('input[name^="na-"]:checked')) {
  const v = el("v-" + na.name.slice(3));
  if (v && !(v instanceof RadioNodeList)) v.disabled = true;
}
for (const t of form.querySelectorAll("textarea.grow")) if (t.value && !CSS.supports("field-sizing", "content")) grow(t);
await initPhotos(form, id, progress);
await store.resume(id); // the server has just shown this visit as editable: work held back after a 409 may go now
refresh({});
syncNow();
const target = !location.hash && form.dataset.openAt && document.getElementById(form.dataset.openAt);
if (target) target.scrollIntoView();
