// The ops console's only script: triage forms post JSON with the page's CSRF token; the report frame fits its page.
(function () {
  "use strict";
  const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
  const root = meta("console-root");
  const describe = (detail) => Array.isArray(detail)
    ? detail.map((e) => `${(e.loc || []).join(".")}: ${e.msg}`).join("; ")
    : String(detail || "");

  document.querySelectorAll("form.triage").forEach((form) => {
    const action = form.elements.action;
    const until = form.querySelector(".until");
    const error = form.querySelector(".error");
    const button = form.querySelector("button");
    const level1 = form.querySelector(".level1");  // only for items no Level-1 team answers for by rule
    const showUntil = () => {
      until.hidden = action.value !== "mute";
      form.elements.muted_until.required = action.value === "mute";
      if (level1) level1.hidden = action.value !== "await_level1";
    };
    action.addEventListener("change", showUntil);
    showUntil();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      button.disabled = true;
      const body = { action: action.value, note: form.elements.note.value };
      if (action.value === "mute") body.muted_until = form.elements.muted_until.value;
      if (level1 && action.value === "await_level1") body.level1_owner = form.elements.level1_owner.value;
      try {
        const response = await fetch(`${root}/api/backlog/${form.dataset.item}/triage`, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-SmartOps-CSRF": meta("csrf-token") },
          body: JSON.stringify(body),
        });
        if (response.ok) {
          window.location.hash = `item-${form.dataset.item}`;
          window.location.reload();
          return;
        }
        const payload = await response.json().catch(() => ({}));
        error.textContent = describe(payload.detail) || `${response.status} ${response.statusText}`;
      } catch (failure) {
        error.textContent = String(failure);
      }
      button.disabled = false;
    });
  });

  const frame = document.querySelector("iframe.report");
  if (frame) {
    frame.addEventListener("load", () => {
      frame.style.height = `${frame.contentDocument.documentElement.scrollHeight + 24}px`;
    });
  }
})();
