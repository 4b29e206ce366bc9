// Shared by the board and the desk: the API key, API calls, the workshop, time in the workshop's zone, DOM.

const KEY_STORAGE = "bayplan.key";

export class ApiError extends Error {
  constructor(status, detail, errors = []) {
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.errors = errors;
  }
}

export const auth = {
  get key() {
    return sessionStorage.getItem(KEY_STORAGE);
  },
  set key(value) {
    if (value) sessionStorage.setItem(KEY_STORAGE, value);
    else sessionStorage.removeItem(KEY_STORAGE);
  },
};

/** A call of the Bayplan API with the key of this tab; answers the JSON body or throws ApiError. */
export async function api(path, { method = "GET", body, signal } = {}) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${auth.key}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const detail = (data && (data.detail || data.title)) || response.statusText;
    throw new ApiError(response.status, detail, (data && data.errors) || []);
  }
  return data;
}

export function describeError(error) {
  if (!(error instanceof ApiError)) return String(error && error.message ? error.message : error);
  const lines = (error.errors || []).map((e) => `${e.path}: ${e.message}`);
  return [error.message, ...lines].join(" — ");
}

// ---------------------------------------------------------------- DOM

/** h("div.card.late", {title: "…", onclick}, child, "text", [children]) */
export function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split(".");
  const element = document.createElement(name || "div");
  if (classes.length) element.className = classes.join(" ");
  if (attrs && (typeof attrs !== "object" || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") element.addEventListener(key.slice(2), value);
    else if (key === "class") element.className += (element.className ? " " : "") + value;
    else if (key === "style" && typeof value === "object") Object.assign(element.style, value);
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key in element && typeof value !== "string") element[key] = value;
    else element.setAttribute(key, value === true ? "" : value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let toastTimer = null;
export function toast(message, kind = "info") {
  let box = document.getElementById("toast");
  if (!box) {
    box = h("div", { id: "toast", role: "status", "aria-live": "polite" });
    document.body.append(box);
  }
  box.className = `toast ${kind} shown`;
  box.textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => box.classList.remove("shown"), kind === "error" ? 8000 : 4000);
}

// ---------------------------------------------------------------- time in the workshop's zone

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** Times of one IANA zone: local days ("2026-11-23") and minutes since local midnight. */
export class Zone {
  constructor(name) {
    this.name = name || "UTC";
    this.parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: this.name,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    this.offsets = new Intl.DateTimeFormat("en-US", { timeZone: this.name, timeZoneName: "longOffset" });
    this.dayLabel = new Intl.DateTimeFormat("en-GB", {
      timeZone: "UTC",
      weekday: "short",
      day: "numeric",
      month: "short",
    });
  }

  /** {day: "2026-11-23", minutes: 575.5} of an instant (Date or ISO string). */
  local(moment) {
    const date = moment instanceof Date ? moment : new Date(moment);
    const p = Object.fromEntries(this.parts.formatToParts(date).map((x) => [x.type, x.value]));
    return { day: `${p.year}-${p.month}-${p.day}`, minutes: +p.hour * 60 + +p.minute + +p.second / 60 };
  }

  day(moment) {
    return this.local(moment).day;
  }

  /** "09:40" */
  time(moment) {
    if (!moment) return "—";
    return clock(Math.floor(this.local(moment).minutes));
  }

  /** "09:40", or "09:40 Tue 24 Nov" when not on `day`. */
  timeOn(moment, day) {
    if (!moment) return "—";
    const local = this.local(moment);
    const time = clock(Math.floor(local.minutes));
    return local.day === day ? time : `${time} ${this.labelOf(local.day)}`;
  }

  labelOf(day) {
    return this.dayLabel.format(new Date(`${day}T12:00:00Z`));
  }

  /** "+08:00" at a local wall time of a day. */
  offset(day, minutes) {
    const guess = new Date(`${day}T${clock(minutes)}:00Z`);
    const name = this.offsets.formatToParts(guess).find((x) => x.type === "timeZoneName")?.value || "GMT";
    const match = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
    return match ? `${match[1]}:${match[2] || "00"}` : "+00:00";
  }

  /** ISO 8601 with the zone's offset of a local wall time. */
  iso(day, minutes) {
    return `${day}T${clock(minutes)}:00${this.offset(day, minutes)}`;
  }

  today() {
    return this.day(new Date());
  }

  nowMinutes() {
    return this.local(new Date()).minutes;
  }
}

export function weekday(day) {
  return WEEKDAYS[new Date(`${day}T12:00:00Z`).getUTCDay()];
}

export function addDays(day, count) {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + count);
  return date.toISOString().slice(0, 10);
}

/** "08:30:00" → 510 */
export function clockMinutes(text) {
  const [hours, minutes] = String(text).split(":");
  return +hours * 60 + +(minutes || 0);
}

/** 510 → "08:30" */
export function clock(minutes) {
  const whole = Math.round(minutes);
  const hours = Math.floor(whole / 60);
  return `${String(hours).padStart(2, "0")}:${String(whole % 60).padStart(2, "0")}`;
}

/** 100 → "1 h 40 min" */
export function duration(minutes) {
  const whole = Math.abs(Math.round(minutes));
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  if (!hours) return `${rest} min`;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

export function percent(share) {
  return share === null || share === undefined ? "—" : `${Math.round(share * 100)}%`;
}

// ---------------------------------------------------------------- sign-in and the workshop

/**
 * The key (asked for when the tab has none) and the workshop the page is for (?workshop=…, or the only
 * one the key sees, or the user's choice). Renders into `root` until both are known.
 */
export async function signIn(root, { title, subtitle }) {
  for (;;) {
    if (!auth.key) await askKey(root, { title, subtitle });
    let workshops;
    try {
      workshops = (await api("/v1/workshops")).items;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        auth.key = null;
        await askKey(root, { title, subtitle, error: "This API key is unknown or revoked." });
        continue;
      }
      throw error;
    }
    const params = new URLSearchParams(location.search);
    let id = params.get("workshop");
    if (!id && workshops.length === 1) id = workshops[0].id;
    if (!id) id = await pickWorkshop(root, workshops, { title });
    if (params.get("workshop") !== id) {
      params.set("workshop", id);
      history.replaceState(null, "", `${location.pathname}?${params}`);
    }
    return { workshopId: id, workshops };
  }
}

function askKey(root, { title, subtitle, error }) {
  return new Promise((resolve) => {
    const input = h("input", {
      id: "key-input",
      type: "password",
      name: "key",
      autocomplete: "off",
      placeholder: "API key",
      required: true,
      "aria-label": "API key",
    });
    const form = h(
      "form.signin",
      {
        onsubmit: (event) => {
          event.preventDefault();
          auth.key = input.value.trim();
          resolve();
        },
      },
      h("div.brand-mark", "B"),
      h("h1", title),
      h("p.muted", subtitle),
      error ? h("p.error-text", { role: "alert" }, error) : null,
      h("label", { for: "key-input" }, "API key"),
      input,
      h("button.primary", { type: "submit" }, "Open"),
      h("p.fine", "The key stays in this browser tab only (session storage) and is sent to this server only.")
    );
    clear(root, h("div.center-screen", form));
    input.focus();
  });
}

function pickWorkshop(root, workshops, { title }) {
  return new Promise((resolve) => {
    const list = workshops.length
      ? workshops.map((w) =>
          h("button.workshop-choice", { type: "button", onclick: () => resolve(w.id) }, h("b", w.name || w.id), h("span.muted", w.id))
        )
      : [h("p.muted", "This key sees no workshop.")];
    clear(
      root,
      h(
        "div.center-screen",
        h("div.signin", h("h1", title), h("p.muted", "Choose the workshop."), ...list, signOutButton())
      )
    );
  });
}

export function signOutButton(label = "Use another key") {
  return h(
    "button.link",
    {
      type: "button",
      onclick: () => {
        auth.key = null;
        const params = new URLSearchParams(location.search);
        params.delete("workshop");
        location.search = params.toString();
      },
    },
    label
  );
}

/** The full-page state for a workshop this key may not see (the API answers 404 for both cases). */
export function noAccess(root, workshopId, workshops, page) {
  clear(
    root,
    h(
      "div.center-screen",
      h(
        "div.signin.no-access",
        { role: "alert", "data-state": "no-access" },
        h("h1", "Workshop not found or no access"),
        h("p", `There is no workshop “${workshopId}” that this API key may see.`),
        workshops.length
          ? [
              h("p.muted", "Workshops this key sees:"),
              ...workshops.map((w) =>
                h("a.workshop-choice", { href: `${page}?workshop=${encodeURIComponent(w.id)}` }, h("b", w.name || w.id), h("span.muted", w.id))
              ),
            ]
          : h("p.muted", "This key sees no workshop."),
        signOutButton()
      )
    )
  );
}

export function pageHeader({ page, workshop, extra }) {
  const link = (href, label) =>
    h("a", { href: `${href}?workshop=${encodeURIComponent(workshop.id)}`, class: href === page ? "current" : "" }, label);
  return h(
    "header.topbar",
    h("div.brand", h("span.brand-mark.small", "B"), h("span", "Bayplan")),
    h("nav.pages", link("/board", "Dispatch board"), link("/desk", "Advisor's desk")),
    h("div.workshop-name", { title: `${workshop.id} · ${workshop.timezone}` }, workshop.name || workshop.id, h("span.muted.tz", workshop.timezone)),
    h("div.topbar-extra", extra || null),
    signOutButton("Sign out")
  );
}

/** The workshop configuration with the defaults the API leaves out. */
export function withDefaults(workshop) {
  const hours = [{ start: "08:00:00", end: "18:00:00" }];
  return {
    ...workshop,
    opening_hours: workshop.opening_hours || Object.fromEntries(WEEKDAYS.slice(1).map((d) => [d, hours])),
    default_breaks: workshop.default_breaks || [{ start: "12:00:00", end: "13:00:00" }],
    closed_days: workshop.closed_days || [],
    technicians: workshop.technicians || [],
    bays: workshop.bays || [],
    lifts: workshop.lifts || [],
    equipment: workshop.equipment || [],
    labour_catalogue: workshop.labour_catalogue || [],
    settings: workshop.settings || {},
  };
}
