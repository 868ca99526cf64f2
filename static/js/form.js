// The visit form: every change goes to the outbox at once and to the server as soon as it can (api.js).
// Whatever the server answers, the page keeps every value and tells the auditor what to do.
import { put, read, refusals, resume, sync } from "./api.js";
import { grow } from "./page.js";
import { initPhotos } from "./photos.js";

const form = document.getElementById("visit-form");
const id = form.dataset.visit;
const statusEl = document.getElementById("save-status");
const notice = document.getElementById("sync-notice");
const NOTICES = ["login", "reload", "locked", "gone"]; // states the auditor must act on or know about
const VISIT_FIELDS = ["visited_at", "remarks", "duration_minutes"];
let timer;

// The texts come translated from the template's data-msg-* and data-notice-* attributes.
const text = (prefix, state) => form.dataset[prefix + state[0].toUpperCase() + state.slice(1)] || "";

function say(state, message) {
  statusEl.className = "save-status " + state;
  statusEl.textContent = message || text("msg", state);
  if (NOTICES.includes(state)) tell(state);
  else if (state === "saved") tell("");
}

// The banner under the status: what happened, that nothing is lost, and the link that helps.
function tell(state) {
  if (notice.dataset.state === state) return; // a retry of the same trouble is not announced again
  notice.dataset.state = state;
  notice.querySelector(".notice-text").textContent = state ? text("notice", state) : "";
  for (const link of notice.querySelectorAll("a[data-for]")) link.hidden = link.dataset.for !== state;
  notice.hidden = !state;
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

function markRefused(refused) {
  for (const { kind, key, message } of refused) showError(fieldOf(kind, key), message);
}

function showError(field, message) {
  const box = document.getElementById("err-" + field);
  const holder = document.getElementById("st-" + field) || (box && box.closest(".field"));
  if (box) {
    box.textContent = message || "";
    box.hidden = !message;
  }
  if (holder) holder.classList.toggle("has-error", !!message);
  for (const control of controlsOf(field, holder)) {
    // The same marks the server writes: invalid only while refused, and pointing to the message.
    if (message) {
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", "err-" + field);
    } else {
      control.removeAttribute("aria-invalid");
      control.removeAttribute("aria-describedby");
    }
  }
}

// The element a refusal belongs to: a standard's text box or radio group, or a named visit field.
function controlsOf(field, holder) {
  const std = document.getElementById("st-" + field);
  if (std) return std.querySelectorAll(`[role=radiogroup], input[type=text][name="v-${field}"], textarea[name="v-${field}"]`);
  const own = document.getElementById(field);
  return own ? [own] : holder ? holder.querySelectorAll("input, textarea") : [];
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
  markRefused(refusals(box));
}

window.addEventListener("auditapp:sync", (e) => {
  const d = e.detail;
  if (d.visit !== id) return;
  if (d.state === "invalid") markRefused(d.refused);
  say(d.state); // the server's own words are for programs; the auditor gets the page's texts
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
resume(id); // the server has just shown this visit as editable: changes held back after a 409 may go now
sync(id);
const target = !location.hash && form.dataset.openAt && document.getElementById(form.dataset.openAt);
if (target) target.scrollIntoView();
