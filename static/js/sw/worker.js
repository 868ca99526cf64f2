// The service worker (a classic script; /sw.js sets self.AUDITAPP and imports this file under its version).
// It keeps two things: the versioned static files (precached, Workbox), and the auditor's own pages — visit list,
// briefings, forms, submit screens, photo thumbnails — network first, kept only when the server marked the
// response with the user's id (X-Auditapp-Offline). Report pages and other users' data are never kept.
// Unsent work never lives here: pages keep it in IndexedDB and sync it themselves (static/js/sync.js).
/* global workbox */
const CONFIG = self.AUDITAPP;
importScripts(...CONFIG.workbox);

const PAGES = "auditapp-pages";

workbox.core.setCacheNameDetails({ prefix: "auditapp" });
workbox.precaching.precacheAndRoute(
  CONFIG.assets.map((url) => (url === CONFIG.fallback ? { url, revision: CONFIG.version } : { url, revision: null })),
);
workbox.precaching.cleanupOutdatedCaches();

// An update waits (no skipWaiting) until every page of the old version is closed, so a form that is open keeps
// the worker and files it was loaded with. A worker therefore activates only when no page uses another one, and
// claiming then takes just the pages that have no worker: on a first install, the page that installed it. (A
// flag set in "install" would not do: the browser may stop the worker between the two events and forget it.)
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

// Keep a page only if the server marked it as this user's; a page of another user empties the cache first.
const keepMarked = {
  cacheWillUpdate: async ({ response }) => {
    const user = response && response.status === 200 && response.headers.get(CONFIG.keep);
    if (!user) return null;
    const cache = await caches.open(PAGES);
    for (const request of await cache.keys()) {
      const kept = await cache.match(request);
      if (kept && kept.headers.get(CONFIG.keep) !== user) await cache.delete(request);
    }
    return response;
  },
};
const pages = new workbox.strategies.NetworkFirst({ cacheName: PAGES, networkTimeoutSeconds: 6, plugins: [keepMarked] });

const OWN_PAGES = /^\/(visits\/.*|api\/v1\/photos\/\d+\/file)$/;
workbox.routing.registerRoute(
  ({ url, request }) => url.origin === self.location.origin && request.method === "GET" && OWN_PAGES.test(url.pathname),
  pages,
);

// With no connection: the start page and the auditor's home open the kept visit list; any other page the
// phone has not kept gets the offline page rather than the browser's error.
workbox.routing.setCatchHandler(async ({ request, url }) => {
  if (request.mode !== "navigate") return Response.error();
  const cache = await caches.open(PAGES);
  const path = url ? url.pathname : "";
  if (["/", "/auditor"].includes(path)) {
    const list = await cache.match(CONFIG.list);
    if (list) return list;
  }
  const visit = /^\/visits\/(\d+)$/.exec(path); // the list's old links and bookmarks: the kept form or briefing
  if (visit) {
    const kept = (await cache.match(`/visits/${visit[1]}/form`)) || (await cache.match(`/visits/${visit[1]}/briefing`));
    if (kept) return kept;
  }
  return (await workbox.precaching.matchPrecache(CONFIG.fallback)) || Response.error();
});
workbox.routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.origin === self.location.origin,
  new workbox.strategies.NetworkOnly({ networkTimeoutSeconds: 10 }),
);

// The visit list asks to keep its visits' pages (and itself), one after the other. The worker fetches them
// rather than the page: a page loaded while the first worker was installing may never come under its control.
self.addEventListener("message", (event) => {
  const urls = event.data && event.data.type === "keep" && Array.isArray(event.data.urls) ? event.data.urls : [];
  const own = urls.filter((url) => OWN_PAGES.test(new URL(url, self.location.origin).pathname));
  event.waitUntil(own.reduce(
    (done, url) => done.then(() => pages.handle({ event, request: new Request(url, { credentials: "same-origin" }) }))
      .catch(() => {}),
    Promise.resolve(),
  ));
});
