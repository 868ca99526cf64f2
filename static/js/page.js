// What every page shares: announcements, the error summary's focus, the local "now", growing text areas, and for
// a logged-in user the offline side (field.js: service worker, sync, the sync bar, a safe logout).
import "./field.js";

document.documentElement.classList.add("js");

/** Say a message through the page's live region; it was empty at load, so a screen reader announces the change. */
export function announce(message) {
  const region = document.getElementById("announcer");
  if (!region || !message) return;
  region.textContent = "";
  setTimeout(() => { region.textContent = message; }, 100);
}
announce([...document.querySelectorAll("[data-announce]")].map((el) => el.textContent.trim()).join(" "));

// A form sent back with errors: its summary takes focus, so the list of what to fix is read first.
const summary = document.querySelector("[data-focus-on-load]");
if (summary) {
  summary.focus();
  // Scrolling to the address's #fragment once the page has loaded moves focus back to the document; take it again.
  window.addEventListener("load", () => setTimeout(() => summary.focus(), 0), { once: true });
}

/** The phone's wall-clock time as a datetime-local value (the server keeps the auditor's local time). */
export function localNow() {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

for (const input of document.querySelectorAll("input[data-default-now]")) {
  if (!input.value) input.value = localNow();
}

// Text areas grow with their text where CSS field-sizing is not supported yet.
export function grow(el) {
  el.style.height = "auto";
  el.style.height = el.scrollHeight + 2 + "px";
}
if (!CSS.supports("field-sizing", "content")) {
  document.addEventListener("input", (e) => { if (e.target.matches("textarea.grow")) grow(e.target); });
  for (const el of document.querySelectorAll("textarea.grow")) if (el.value) grow(el);
}
