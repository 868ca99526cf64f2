// What every page of a logged-in user does for offline work: the service worker, the sync engine, the sync bar
// ("3 changes waiting", sync now, download), keeping the auditor's pages for offline use, and a logout or a
// departure that never throws unsent work away.
import * as store from "./store.js";
import { start, syncNow, uuid } from "./sync.js";
import { sentence, stateOf, total } from "./status.js";

let waiting = 0; // records on this phone, as of the last sync event

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {}); // no worker: the app still works online
}

if (store.user) {
  start();
  window.addEventListener("auditapp:sync", (e) => {
    if (e.detail.summary) {
      const all = total(e.detail.summary);
      waiting = all.changes + all.photos + all.ops;
      showBar(all, e.detail.trouble);
      markList(e.detail.summary);
    }
  });
  keepPagesForOffline();
}

// The sync bar: where the data is, with "sync now" and "download my unsynced data".
const bar = document.getElementById("sync-bar");

function showBar(all, trouble) {
  if (!bar) return;
  const state = stateOf(all, trouble);
  bar.querySelector(".sync-text").textContent = sentence(bar, state, all);
  bar.dataset.state = state;
  bar.querySelector("[data-action=download]").hidden = waiting === 0;
}

document.addEventListener("click", async (e) => {
  const button = e.target.closest("[data-action]");
  if (!button) return;
  if (button.dataset.action === "sync") syncNow();
  if (button.dataset.action === "download") download();
});

/** Save everything unsent, photos included, as one file the auditor can keep or send by other means. */
export async function download() {
  const data = await store.exportAll();
  const blob = new Blob([JSON.stringify(data, null, 1)], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `auditapp-unsynced-${new Date().toISOString().slice(0, 16).replace(":", "")}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

// The visit list says which visits still have work on this phone.
function markList(summary) {
  for (const li of document.querySelectorAll("li[data-visit]")) {
    const w = summary[li.dataset.visit];
    const count = w ? w.changes + w.photos + w.ops : 0;
    let tag = li.querySelector(".tag-waiting");
    if (!count) {
      if (tag) tag.remove();
      continue;
    }
    if (!tag) {
      tag = document.createElement("span");
      tag.className = "tag tag-waiting";
      (li.querySelector(".meta") || li).append(tag);
    }
    tag.textContent = (bar && bar.dataset.msgOnPhone || "{n} on this phone").replace("{n}", count);
  }
}

// On the visit list, have the service worker keep each open visit's pages, and the list, for a basement.
function keepPagesForOffline() {
  const urls = [...document.querySelectorAll("[data-offline-pages]")].flatMap((el) => el.dataset.offlinePages.split(" "));
  if (!urls.length || !("serviceWorker" in navigator)) return;
  const nav = performance.getEntriesByType("navigation")[0];
  if (!nav || !nav.workerStart) urls.unshift(location.pathname + location.search); // the worker has not seen it
  navigator.serviceWorker.ready.then((registration) => registration.active.postMessage({ type: "keep", urls }));
}

// Logging out with unsent work asks first and keeps it; with nothing unsent it removes the phone's copy.
document.addEventListener("submit", async (e) => {
  const form = e.target;
  if (!form.matches("form[data-logout]") || form.dataset.confirmed) return;
  e.preventDefault();
  const count = store.user ? await store.waiting() : 0;
  if (count) {
    if (!window.confirm(form.dataset.msgUnsent.replace("{n}", count))) return;
  } else if (store.user) {
    await store.wipe().catch(() => {});
    if ("caches" in window) await caches.delete("auditapp-pages").catch(() => {});
  }
  form.dataset.confirmed = "1";
  leaving = true;
  form.submit();
});

// Leaving the app (closing the tab, typing another address) with unsent work warns; moving within it does not.
let leaving = false;
document.addEventListener("click", (e) => {
  const a = e.target.closest("a[href]");
  if (a && a.origin === location.origin) leaving = true;
});
document.addEventListener("submit", () => { leaving = true; });
window.addEventListener("pageshow", () => { leaving = false; });
window.addEventListener("beforeunload", (e) => {
  if (waiting > 0 && !leaving) {
    e.preventDefault();
    e.returnValue = "";
  }
});

// The briefing's Start works without a connection: the time and the start wait on the phone like answers.
const startForm = document.querySelector("form[data-start]");
if (startForm && store.user) {
  startForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const visit = startForm.dataset.start;
    const field = (name) => startForm.elements.namedItem(name);
    const details = {};
    if (field("visited_at") && field("visited_at").value) details.visited_at = field("visited_at").value;
    if (field("duration_minutes") && field("duration_minutes").value.trim()) {
      const raw = field("duration_minutes").value.trim();
      details.duration_minutes = /^\d+$/.test(raw) ? Number(raw) : raw;
    }
    try {
      if (Object.keys(details).length) await store.putChange(visit, "details", "visit", details);
      await store.putOp({ id: uuid(), kind: "start", visit });
    } catch (err) {
      startForm.submit(); // the phone cannot keep it: let the server take it the old way
      return;
    }
    leaving = true;
    location.href = startForm.dataset.next;
  });
}

// The submit screen: online with nothing waiting, the form posts as ever; otherwise the submit waits on the
// phone under its operation id and goes after the last answer and photo.
const submitForm = document.querySelector("form[data-submit]");
if (submitForm && store.user) {
  // Offline, this screen may be the kept copy of an older state: the server checks completeness when the submit
  // arrives, and a refusal is shown then. Online, the auditor decides afresh: an earlier refused submit goes.
  const button = submitForm.querySelector("button[type=submit]");
  const note = submitForm.querySelector(".offline-note");
  const reflect = () => {
    if (navigator.onLine) {
      button.disabled = submitForm.dataset.complete !== "1";
      note.hidden = true;
    } else {
      button.disabled = false;
      note.hidden = false;
    }
  };
  reflect();
  window.addEventListener("online", reflect);
  window.addEventListener("offline", reflect);
  if (navigator.onLine) {
    store.opsOf(submitForm.dataset.submit).then((ops) => ops.filter((o) => o.kind === "submit" && o.refused)
      .forEach((o) => store.dropOp(o)));
  }
  submitForm.addEventListener("submit", (e) => {
    if (submitForm.dataset.queued) return; // decided already: the browser posts it
    e.preventDefault(); // the phone's store answers asynchronously, so hold the post until it has
    queueOrPost(submitForm);
  });
}

async function queueOrPost(form) {
  const visit = form.dataset.submit;
  const w = (await store.summary())[visit];
  if (navigator.onLine && !w) {
    form.dataset.queued = "posted";
    leaving = true;
    form.submit();
    return;
  }
  await store.putOp({ id: form.elements.namedItem("operation").value, kind: "submit", visit });
  leaving = true;
  location.href = form.dataset.next;
  syncNow();
}
