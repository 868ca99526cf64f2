// The visit form: every change goes to the outbox at once and to the server as soon as it can (api.js).
import { put, read, sync } from "./api.js";
import { grow } from "./page.js";
import { initPhotos } from "./photos.js";

const form = document.getElementById("visit-form");
const id = form.dataset.visit;
const statusEl = document.getElementById("save-status");
const VISIT_FIELDS = ["visited_at", "remarks", "duration_minutes"];
let timer;

function say(state, text) {
  statusEl.className = "save-status " + state;
  statusEl.textContent = text || form.dataset["msg" + state[0].toUpperCase() + state.slice(1)] || "";
}

const el = (name) => form.elements.namedItem(name);

// What a changed control means for the API, as [kind, key, change] for the outbox.
function changeOf(input) {
  const name = input.name || "";
  let m;
  if ((m = /^v-(.+)$/.exec(name))) {
    const na = el("na-" + m[1]);
    return ["answers", m[1], { value: na && na.checked ? "na" : input.value.trim() }];
  }
  if ((m = /^na-(.+)$/.exec(name))) {
    const v = el("v-" + m[1]);
    if (v && !(v instanceof RadioNodeList)) v.disabled = input.checked;
    return ["answers", m[1], { value: input.checked ? "na" : v && !(v instanceof RadioNodeList) ? v.value.trim() : "" }];
  }
  if ((m = /^c-(.+)$/.exec(name))) return ["answers", m[1], { comment: input.value }];
  if ((m = /^staff-(.+)$/.exec(name))) return ["staff", m[1], input.value];
  if (VISIT_FIELDS.includes(name)) return ["visit", name, input.value];
  return null;
}

function fieldOf(kind, key) {
  return kind === "answers" ? key : kind === "staff" ? "staff-" + key : key;
}

function showError(field, message) {
  const box = document.getElementById("err-" + field);
  const holder = document.getElementById("st-" + field) || (box && box.closest(".field"));
  if (box) {
    box.textContent = message || "";
    box.hidden = !message;
  }
  if (holder) holder.classList.toggle("has-error", !!message);
}

function onChange(e, later) {
  const change = changeOf(e.target);
  if (!change) return;
  put(id, ...change);
  showError(fieldOf(change[0], change[1]), "");
  progress();
  clearTimeout(timer);
  if (later) timer = setTimeout(() => sync(id), 700);
  else sync(id);
}

form.addEventListener("change", (e) => onChange(e, false));
form.addEventListener("input", (e) => { if (e.target.matches("input[type=text], textarea")) onChange(e, true); });

// Progress: answered / total, where a photo standard is answered by a photo.
function answered(std) {
  const key = std.dataset.key;
  if (std.querySelector(`input[name="v-${key}"]:checked, input[name="na-${key}"]:checked`)) return true;
  const v = std.querySelector(`input[type=text][name="v-${key}"], textarea[name="v-${key}"]`);
  if (v && v.value.trim()) return true;
  return std.dataset.type === "photo" && !!std.querySelector(".thumbs li[data-photo-id]");
}
export function progress() {
  const done = [...form.querySelectorAll(".std")].filter(answered).length;
  document.getElementById("answered").textContent = done;
  document.getElementById("progress").value = done;
}

// Merge what was not sent yet over what the server rendered, so a reload or a lost connection loses nothing.
function restore() {
  const box = read(id);
  for (const [key, change] of Object.entries(box.answers)) {
    if ("value" in change) {
      const v = el("v-" + key);
      const na = el("na-" + key);
      if (v instanceof RadioNodeList) {
        for (const r of v) r.checked = r.value === String(change.value);
      } else if (v) {
        if (na) {
          na.checked = change.value === "na";
          v.disabled = na.checked;
        }
        v.value = change.value === "na" ? "" : change.value;
      } else if (na) na.checked = change.value === "na";
    }
    if ("comment" in change && el("c-" + key)) {
      el("c-" + key).value = change.comment;
      if (change.comment) el("c-" + key).closest("details").open = true;
    }
  }
  for (const [tp, name] of Object.entries(box.staff)) if (el("staff-" + tp)) el("staff-" + tp).value = name;
  for (const [field, value] of Object.entries(box.visit)) if (el(field)) el(field).value = value;
}

window.addEventListener("auditapp:sync", (e) => {
  const d = e.detail;
  if (d.visit !== id) return;
  if (d.state === "invalid") {
    for (const [field, message] of Object.entries(d.fields || {})) showError(field, message);
    say("invalid");
  } else say(d.state, d.message && d.state !== "offline" ? d.message : "");
});

form.addEventListener("submit", async (e) => {
  if (e.submitter && e.submitter.name === "delete_photo") return; // photos.js handles it
  e.preventDefault();
  if (e.submitter && e.submitter.value === "review") {
    await Promise.race([sync(id), new Promise((r) => setTimeout(r, 4000))]);
    location.href = form.dataset.submitUrl;
  } else sync(id);
});

restore();
for (const input of form.querySelectorAll("input[data-default-now]")) {
  // page.js filled in the phone's time; keep it unless the auditor changes it
  if (!input.defaultValue && input.value && !read(id).visit[input.name]) put(id, "visit", input.name, input.value);
}
for (const na of form.querySelectorAll('input[name^="na-"]:checked')) {
  const v = el("v-" + na.name.slice(3));
  if (v && !(v instanceof RadioNodeList)) v.disabled = true;
}
for (const t of form.querySelectorAll("textarea.grow")) if (t.value && !CSS.supports("field-sizing", "content")) grow(t);
initPhotos(form, id, progress, say);
progress();
sync(id);
const target = !location.hash && form.dataset.openAt && document.getElementById(form.dataset.openAt);
if (target) target.scrollIntoView();
