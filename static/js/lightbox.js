// The review page's photo viewer opens with a #photo-N address (CSS :target, so it works without script too).
// Opening adds one history entry, so the phone's Back button closes the photo; closing goes back over that entry
// instead of adding another, so Back after a close leaves the page rather than opening the photo again.
let opened = null;

document.addEventListener("click", (event) => {
  const thumb = event.target.closest("a.thumb");
  if (thumb) {
    opened = thumb.getAttribute("href");
    return;
  }
  const close = event.target.closest("a.lightbox-close");
  if (!close) return;
  event.preventDefault();
  if (opened && location.hash === opened) {
    history.back();
  } else {
    // Arrived with the photo's address (a shared link, a reload): close without leaving a way back into it.
    location.replace(close.getAttribute("href"));
  }
  opened = null;
});

window.addEventListener("hashchange", () => {
  if (opened && location.hash !== opened) opened = null;
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !location.hash.startsWith("#photo-")) return;
  const open = document.querySelector(".lightbox:target .lightbox-close");
  if (open) open.click();
});
