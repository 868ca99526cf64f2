// Photos on the visit form, local first: shrunk on the phone, kept as Blobs in IndexedDB with a client_id (a
// retry never duplicates), sent by the sync engine. Each thumbnail says where it is; a delete can be undone.
import * as store from "./store.js";
import { syncNow, uuid } from "./sync.js";

const MAX_SIDE = 2048;
const UNDO_MS = 6000;

/** Downscale to at most 2048 px as JPEG 0.85; the original file when the browser cannot decode it (HEIC). */
export async function shrink(file) {
  let bmp;
  try {
    bmp = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch (e) {
    return file;
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height));
  if (scale === 1 && /^image\/(jpeg|png|webp)$/.test(file.type)) {
    bmp.close();
    return file;
  }
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bmp.width * scale);
  canvas.height = Math.round(bmp.height * scale);
  canvas.getContext("2d").drawImage(bmp, 0, 0, canvas.width, canvas.height);
  bmp.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
  return blob || file;
}

export async function initPhotos(form, visit, changed) {
  const msg = (name, fallback) => form.dataset[name] || fallback;

  function badge(li, state, message) {
    li.dataset.state = state;
    let b = li.querySelector(".photo-state");
    if (!b) {
      b = document.createElement("span");
      b.className = "photo-state";
      li.append(b);
    }
    b.textContent = state === "refused" ? message || msg("msgPhotoRefused", "Not accepted") :
      state === "synced" ? msg("msgPhotoSynced", "Synced") : msg("msgPhotoLocal", "On this phone");
    let again = li.querySelector(".photo-again");
    if (state === "refused" && !again) {
      again = document.createElement("button");
      again.type = "button";
      again.className = "linklike photo-again";
      again.textContent = msg("msgTryAgain", "Try again");
      li.append(again);
    } else if (state !== "refused" && again) again.remove();
  }

  function item(block, photo) {
    const li = document.createElement("li");
    li.dataset.clientId = photo.client_id;
    const img = document.createElement("img");
    img.alt = "";
    img.width = img.height = 72;
    img.src = photo.blob ? URL.createObjectURL(photo.blob) : photo.thumbnail_url || "";
    const input = document.createElement("input");
    input.type = "text";
    input.placeholder = msg("msgCaption", "Caption");
    input.setAttribute("aria-label", block.dataset.captionName || input.placeholder);
    input.maxLength = 500;
    input.value = photo.caption || "";
    input.dataset.caption = "";
    const del = document.createElement("button");
    del.type = "submit";
    del.name = "delete_photo";
    del.className = "button danger";
    del.textContent = "✕";
    del.setAttribute("aria-label", block.dataset.deleteName || msg("msgDelete", "Delete photo"));
    li.append(img, input, del);
    block.querySelector(".thumbs").append(li);
    return li;
  }

  const blockOf = (photo) => form.querySelector(photo.standard
    ? `.photos[data-standard="${CSS.escape(photo.standard)}"]` : `.photos[data-touchpoint="${CSS.escape(photo.touchpoint)}"]`);

  // Photos the phone keeps: a synced one the server's page already shows is forgotten; the others are shown.
  for (const photo of await store.photosOf(visit)) {
    const rendered = form.querySelector(`li[data-client-id="${CSS.escape(photo.client_id)}"]`);
    if (rendered && photo.state === "synced") {
      await store.deletePhoto(photo.client_id);
      continue;
    }
    const block = blockOf(photo);
    if (!block || rendered) continue;
    badge(item(block, photo), photo.state, photo.message);
  }

  async function add(block, file) {
    const blob = await shrink(file);
    const name = blob === file ? file.name || "photo.jpg" : (file.name || "photo").replace(/\.\w+$/, "") + ".jpg";
    const photo = { client_id: uuid(), visit, blob, name, caption: "", at: Date.now(), state: "waiting", message: "" };
    if (block.dataset.standard) photo.standard = block.dataset.standard;
    else photo.touchpoint = block.dataset.touchpoint;
    try {
      await store.putPhoto(photo);
    } catch (e) {
      error(block, msg("msgPhotoFull", "This phone's storage is full: the photo was not kept. Free some space and add it again."));
      return;
    }
    error(block, "");
    badge(item(block, photo), "waiting");
    changed();
    syncNow();
  }

  function error(block, message) {
    const p = block.querySelector(".photo-error");
    p.textContent = message || "";
    p.hidden = !message;
  }

  window.addEventListener("auditapp:sync", async (e) => {
    if (e.detail.visit !== visit) return;
    for (const photo of await store.photosOf(visit)) {
      const li = form.querySelector(`li[data-client-id="${CSS.escape(photo.client_id)}"]`);
      if (!li) continue;
      if (photo.id) li.dataset.photoId = photo.id;
      if (li.dataset.state !== photo.state) badge(li, photo.state, photo.message);
    }
  });

  form.addEventListener("change", async (e) => {
    const t = e.target;
    if (t.type === "file") {
      const block = t.closest(".photos");
      const files = [...t.files];
      t.value = "";
      for (const f of files) await add(block, f);
    } else if (t.closest(".thumbs")) {
      await caption(t.closest("li"), t.value);
    }
  });

  // A caption goes with the photo while it waits; once the server has it, as its own change.
  async function caption(li, value) {
    const local = li.dataset.clientId && (await store.updatePhoto(li.dataset.clientId, { caption: value }));
    if (local && local.state !== "synced") return;
    const photo = li.dataset.photoId;
    if (photo) await store.putOp({ id: `caption-${photo}`, kind: "caption", visit, photo, caption: value });
    syncNow();
  }

  // Delete: the photo disappears at once, with an Undo for a few seconds; only then is the delete kept.
  form.addEventListener("click", async (e) => {
    const again = e.target.closest(".photo-again");
    if (!again) return;
    const li = again.closest("li");
    await store.updatePhoto(li.dataset.clientId, { state: "waiting", message: "" });
    badge(li, "waiting");
    syncNow();
  });

  form.addEventListener("click", (e) => {
    const button = e.target.closest('button[name="delete_photo"]');
    if (!button) return;
    e.preventDefault();
    const li = button.closest("li");
    li.hidden = true;
    changed();
    const bar = undoBar(li);
    const timerId = setTimeout(() => { bar.remove(); remove(li); }, UNDO_MS);
    bar.querySelector("button").addEventListener("click", () => {
      clearTimeout(timerId);
      bar.remove();
      li.hidden = false;
      changed();
      li.querySelector("button").focus();
    });
    bar.querySelector("button").focus();
  });

  function undoBar(li) {
    const bar = document.createElement("p");
    bar.className = "undo";
    bar.setAttribute("role", "status");
    const label = document.createElement("span");
    label.textContent = msg("msgPhotoDeleted", "Photo deleted.") + " ";
    const undo = document.createElement("button");
    undo.type = "button";
    undo.className = "linklike";
    undo.textContent = msg("msgUndo", "Undo");
    bar.append(label, undo);
    li.closest(".photos").append(bar);
    return bar;
  }

  async function remove(li) {
    const clientId = li.dataset.clientId;
    const local = clientId ? (await store.photosOf(visit)).find((p) => p.client_id === clientId) : null;
    const serverId = li.dataset.photoId || (local && local.id);
    if (local) await store.deletePhoto(clientId);
    if (serverId) await store.putOp({ id: `delete-${serverId}`, kind: "delete", visit, photo: serverId });
    li.remove();
    changed();
    syncNow();
  }
}
