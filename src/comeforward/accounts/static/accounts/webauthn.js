// WebAuthn security keys: adding one ("Security keys" page) and using one (the MFA step).
// docs/adr/0007-webauthn.md. Loaded as a module with the CSP nonce; no inline handlers.
// Progressive enhancement: without JavaScript the pages still work and say what is needed.
// The server sends options as JSON with base64url byte strings (W3C WebAuthn Level 3 §5.1.8)
// and receives the credential in the same encoding.

const toBytes = (value) => {
  const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0)).buffer;
};

const toBase64url = (buffer) => {
  let binary = "";
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

const descriptors = (list) => (list || []).map((item) => ({ ...item, id: toBytes(item.id) }));

const creationOptions = (json) => ({
  ...json,
  challenge: toBytes(json.challenge),
  user: { ...json.user, id: toBytes(json.user.id) },
  excludeCredentials: descriptors(json.excludeCredentials),
});

const requestOptions = (json) => ({
  ...json,
  challenge: toBytes(json.challenge),
  allowCredentials: descriptors(json.allowCredentials),
});

const credentialJSON = (credential) => {
  const { response } = credential;
  const json = {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    clientExtensionResults: credential.getClientExtensionResults(),
    response: { clientDataJSON: toBase64url(response.clientDataJSON) },
  };
  if (credential.authenticatorAttachment) {
    json.authenticatorAttachment = credential.authenticatorAttachment;
  }
  if (response.attestationObject) {
    json.response.attestationObject = toBase64url(response.attestationObject);
    json.response.transports = response.getTransports ? response.getTransports() : [];
  } else {
    json.response.authenticatorData = toBase64url(response.authenticatorData);
    json.response.signature = toBase64url(response.signature);
    if (response.userHandle) json.response.userHandle = toBase64url(response.userHandle);
  }
  return json;
};

const csrfToken = () => document.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";

async function postJSON(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body),
  });
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = {};
  }
  if (!response.ok) {
    throw new Error(data?.error?.message || "Something went wrong. Try again.");
  }
  return data;
}

// Messages for the browser's own refusals (WebAuthn §5.1.3, §5.1.4 DOMException names).
const BROWSER_MESSAGES = {
  NotAllowedError: "The security key was not used, or the request timed out. Try again.",
  InvalidStateError: "This security key is already added to your account.",
  SecurityError: "Security keys cannot be used at this web address.",
  NotSupportedError: "This security key is not supported. Try a different key.",
};

function showError(container, error) {
  const summary = container.querySelector("[data-webauthn-error]");
  const message = BROWSER_MESSAGES[error?.name] || error?.message || "Something went wrong.";
  if (!summary) return;
  summary.querySelector("[data-webauthn-message]").textContent = message;
  summary.hidden = false;
  summary.focus();
}

async function withButton(button, action) {
  button.disabled = true;
  button.setAttribute("aria-disabled", "true");
  try {
    await action();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-disabled");
  }
}

function setUpRegistration(form) {
  const container = form.closest("main") || document;
  form.addEventListener("submit", (event) => {
    const name = form.querySelector("[name=name]").value.trim();
    // No name, or no WebAuthn in this browser: let the server answer with its message.
    if (!name || !window.PublicKeyCredential) return;
    event.preventDefault();
    const button = form.querySelector("button[type=submit], button:not([type])");
    withButton(button, async () => {
      try {
        const { publicKey } = await postJSON(form.dataset.optionsUrl, {});
        const credential = await navigator.credentials.create({
          publicKey: creationOptions(publicKey),
        });
        const result = await postJSON(form.dataset.verifyUrl, {
          name,
          credential: credentialJSON(credential),
        });
        window.location.assign(result.redirect);
      } catch (error) {
        showError(container, error);
      }
    });
  });
}

function setUpAuthentication(section) {
  const button = section.querySelector("[data-webauthn-start]");
  if (!button || !window.PublicKeyCredential) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    withButton(button, async () => {
      try {
        const { publicKey } = await postJSON(section.dataset.optionsUrl, {});
        const credential = await navigator.credentials.get({
          publicKey: requestOptions(publicKey),
        });
        const result = await postJSON(section.dataset.verifyUrl, {
          credential: credentialJSON(credential),
        });
        window.location.assign(result.redirect);
      } catch (error) {
        showError(section, error);
      }
    });
  });
}

document.querySelectorAll("form[data-webauthn=register]").forEach(setUpRegistration);
document.querySelectorAll("[data-webauthn=authenticate]").forEach(setUpAuthentication);
