// Photos on the visit form: shrink on the phone, upload with a client_id (retries never duplicate),
// thumbnails with caption and delete.
import { api, stateOf } from "./api.js";

const MAX_SIDE = 2048;

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID(); // only in secure contexts
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

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

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

export function initPhotos(form, id, changed, say) {
  const caption = form.dataset.msgCaption || "Caption";

  // Say what a failed photo request means: the page's own text where there is one, else the server's reason.
  function failed(err) {
    const state = stateOf(err);
    if (["offline", "login", "reload", "locked", "gone"].includes(state)) say(state);
    else say("error", err.message);
  }

  function item(list) {
    const li = document.createElement("li");
    li.className = "uploading";
    const img = document.createElement("img");
    img.alt = "";
    img.width = img.height = 72;
    const input = document.createElement("input");
    input.type = "text";
    const block = list.closest(".photos");
    input.placeholder = caption;
    input.setAttribute("aria-label", (block && block.dataset.captionName) || caption);
    input.maxLength = 500;
    const del = document.createElement("button");
    del.type = "submit";
    del.name = "delete_photo";
    del.className = "button danger";
    del.textContent = "✕";
    del.setAttribute("aria-label", (block && block.dataset.deleteName) || form.dataset.msgDelete || "Delete photo");
    li.append(img, input, del);
    list.append(li);
    return li;
  }

  function error(block, message) {
    const p = block.querySelector(".photo-error");
    p.textContent = message || "";
    p.hidden = !message;
  }

  async function upload(block, file) {
    const li = item(block.querySelector(".thumbs"));
    const blob = await shrink(file);
    const img = li.querySelector("img");
    img.src = URL.createObjectURL(blob);
    const clientId = uuid();
    const name = blob === file ? file.name || "photo.jpg" : (file.name || "photo").replace(/\.\w+$/, "") + ".jpg";
    for (let attempt = 0; ; attempt++) {
      const data = new FormData();
      data.append("file", blob, name);
      data.append("client_id", clientId); // the same id on every retry: the server answers 200, not a second photo
      if (block.dataset.standard) data.append("standard", block.dataset.standard);
      else data.append("touchpoint", block.dataset.touchpoint);
      try {
        say("saving");
        const photo = await api("POST", `/api/v1/visits/${id}/photos`, data);
        URL.revokeObjectURL(img.src);
        img.src = photo.thumbnail_url;
        li.dataset.photoId = photo.id;
        li.className = "";
        li.querySelector("input").name = "caption-" + photo.id;
        li.querySelector("button").value = photo.id;
        error(block, "");
        say("saved");
        changed();
        return;
      } catch (e) {
        const state = stateOf(e);
        if ((state === "offline" || state === "retry") && attempt < 30) {
          say(state);
          await wait(Math.min(30000, 1000 * 2 ** attempt));
          continue;
        }
        li.remove();
        failed(e);
        error(block, state === "login" || state === "reload" ? form.dataset.msgPhotoAgain : e.message);
        return;
      }
    }
  }

  form.addEventListener("change", (e) => {
    const t = e.target;
    if (t.type === "file") {
      const block = t.closest(".photos");
      const files = [...t.files];
      t.value = "";
      (async () => { for (const f of files) await upload(block, f); })();
    } else if (/^caption-\d+$/.test(t.name)) {
      api("PATCH", `/api/v1/photos/${t.name.slice(8)}`, { caption: t.value })
        .then(() => say("saved"), failed);
    }
  });

  form.addEventListener("click", async (e) => {
    const button = e.target.closest('button[name="delete_photo"]');
    if (!button) return;
    e.preventDefault();
    const li = button.closest("li");
    if (!li.dataset.photoId) return;
    try {
      await api("DELETE", `/api/v1/photos/${li.dataset.photoId}`);
      li.remove();
      changed();
      say("saved");
    } catch (err) {
      if (err.status === 404) {
        li.remove(); // already gone: what the auditor asked for
        changed();
      } else failed(err);
    }
  });
}
