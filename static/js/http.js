// HTTP to /api/v1 and nothing else: JSON with the CSRF header, one fresh token after a CSRF refusal, and every
// answer sorted into a kind the sync engine acts on. Only the app's own JSON counts as an answer: a redirect or
// an HTML page (a hotel wifi's login page) means the app was not reached.

export class ApiError extends Error {
  constructor(status, body, kind) {
    const error = (body && body.error) || {};
    super(error.message || (status ? `HTTP ${status}` : "offline"));
    this.status = status; // 0: no answer from the app at all
    this.kind = kind;
    this.code = error.code || "";
    this.fields = error.fields || {};
  }
}

/** What a refusal means for the work it carried: wait and retry, ask the auditor, or mark the record. */
function kindOf(status, code) {
  if (status === 401) return "login";
  if (code === "csrf") return "csrf";
  if (status === 404) return "gone";
  if (status === 409) return "locked";
  if (status === 413) return "too_large";
  if (status === 422) return "invalid";
  if (status === 429 || status >= 500) return "retry";
  return "error";
}

let token = "";

function csrf() {
  if (!token) {
    const meta = document.querySelector('meta[name="csrf-token"]');
    token = meta ? meta.content : "";
  }
  return token;
}

/** Ask the server for this session's token: a page kept offline carries the token of an older session. */
export async function refreshToken() {
  const session = await api("GET", "/api/v1/session", undefined, { again: false });
  token = session.csrf_token;
  for (const field of document.querySelectorAll('meta[name="csrf-token"], input[name="csrf_token"]')) {
    if (field.tagName === "META") field.content = token;
    else field.value = token;
  }
  return session;
}

/** Call the API; resolve to the JSON body (null for 204), reject with ApiError. */
export async function api(method, url, body, { again = true } = {}) {
  const headers = { Accept: "application/json", "X-CSRFToken": csrf() };
  let payload = body;
  if (body !== undefined && !(body instanceof FormData)) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body: payload, credentials: "same-origin", redirect: "manual" });
  } catch (e) {
    throw new ApiError(0, null, "offline");
  }
  if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
    throw new ApiError(0, null, "offline"); // a portal or proxy sent us elsewhere: the app was not reached
  }
  if (response.status === 204) return null;
  const json = (response.headers.get("Content-Type") || "").includes("application/json");
  const data = json ? await response.json().catch(() => null) : null;
  if (response.ok && data === null) throw new ApiError(0, null, "offline"); // HTML with 200: a captive portal
  if (!response.ok) {
    // Without the app's JSON (a proxy's page), only the status speaks; what it cannot tell waits and is tried again.
    const kind = data ? kindOf(response.status, data.error && data.error.code)
      : { 401: "login", 413: "too_large" }[response.status] || (response.status >= 500 ? "retry" : "offline");
    if (kind === "csrf" && again) {
      await refreshToken();
      return api(method, url, body, { again: false });
    }
    throw new ApiError(response.status, data, kind);
  }
  return data;
}
