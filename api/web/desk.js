// The advisor's desk: quote a prospective job (promise time, graded appointment slots) and handle
// supplemental work found on a job in progress (preview, then approve, decline or defer).

import {
  ApiError,
  Zone,
  api,
  clear,
  clock,
  describeError,
  duration,
  h,
  noAccess,
  pageHeader,
  signIn,
  toast,
  withDefaults,
} from "./common.js";
import { openingWindows, planDays } from "./board-model.js";

const GRADES = { best: "Best", good: "Good", fair: "Fair", poor: "Poor", unavailable: "Unavailable" };

const state = {
  workshopId: null,
  workshop: null,
  zone: null,
  catalogue: [],
  plan: null,
  tab: "quote",
  quote: { codes: [], arrival: "earliest", day: null, time: "09:00", waiting: true, model: "", powertrain: "ice", priority: "normal" },
  quoteResult: null,
  slots: null,
  slotsDay: null,
  supplemental: { jobId: "", codes: [], note: "", part: "", partQty: 1, partEta: "" },
};
const el = {};

async function main() {
  const root = document.getElementById("app");
  let session;
  try {
    session = await signIn(root, { title: "Advisor's desk", subtitle: "Promise times, appointment slots and supplemental work." });
  } catch (error) {
    clear(root, h("div.center-screen", h("div.signin", { role: "alert" }, h("h1", "The desk could not load"), h("p.error-text", describeError(error)))));
    return;
  }
  state.workshopId = session.workshopId;
  const id = encodeURIComponent(state.workshopId);
  try {
    state.workshop = withDefaults(await api(`/v1/workshops/${id}`));
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
      noAccess(root, state.workshopId, session.workshops, "/desk");
      document.body.dataset.state = "no-access";
      return;
    }
    throw error;
  }
  state.zone = new Zone(state.workshop.timezone);
  const [catalogue, plan] = await Promise.all([
    api(`/v1/workshops/${id}/labour-catalogue`).catch(() => ({ items: state.workshop.labour_catalogue })),
    api(`/v1/workshops/${id}/plan`).catch(() => null),
  ]);
  state.catalogue = catalogue.items || [];
  state.plan = plan;
  state.quote.day = bookingDays()[0];
  const params = new URLSearchParams(location.search);
  if (params.get("tab") === "supplemental") state.tab = "supplemental";
  if (params.get("job")) state.supplemental.jobId = params.get("job");
  clear(
    root,
    pageHeader({ page: "/desk", workshop: state.workshop, extra: plan ? h("span.muted", `Plan v${plan.version}`) : null }),
    (el.tabs = h("div.desk-tabs")),
    (el.main = h("main.desk-main"))
  );
  render();
  document.body.dataset.loaded = "true";
}

/** The service's today: the day its plan starts at (the service's clock, not this browser's). */
function serviceToday() {
  const start = state.plan?.plan?.horizon_start;
  return start ? state.zone.day(start) : state.zone.today();
}

/** The next working days, from the service's today. */
function bookingDays() {
  const days = planDays(state.workshop, state.plan?.plan, state.zone);
  const today = serviceToday();
  let last = days[days.length - 1] || today;
  const list = days.filter((d) => d >= today);
  for (let i = 0; list.length < 6 && i < 21; i++) {
    const next = new Date(`${last}T12:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    last = next.toISOString().slice(0, 10);
    if (openingWindows(state.workshop, last).length) list.push(last);
  }
  return list.length ? list : days;
}

function render() {
  clear(
    el.tabs,
    h(
      "div.segmented",
      { role: "tablist" },
      [
        ["quote", "Quote a job"],
        ["supplemental", "Supplemental work"],
      ].map(([key, label]) =>
        h("button", { type: "button", role: "tab", class: state.tab === key ? "active" : "", "aria-selected": String(state.tab === key), dataset: { tab: key }, onclick: () => setTab(key) }, label)
      )
    )
  );
  if (state.tab === "quote") renderQuote();
  else renderSupplemental();
}

function setTab(tab) {
  state.tab = tab;
  const params = new URLSearchParams(location.search);
  params.set("tab", tab);
  history.replaceState(null, "", `${location.pathname}?${params}`);
  render();
}

// ---------------------------------------------------------------- labour codes

function labourPicker(selected, onChange, name) {
  const search = h("input", { type: "search", placeholder: "Search labour codes…", "aria-label": "Search labour codes" });
  const list = h("div.labour-list", { role: "listbox", "aria-multiselectable": "true", "aria-label": "Labour codes", dataset: { picker: name } });
  const chips = h("div.chips.selected-work");
  const draw = () => {
    const needle = search.value.trim().toLowerCase();
    clear(
      list,
      state.catalogue
        .filter((c) => !needle || `${c.code} ${c.text} ${c.kind}`.toLowerCase().includes(needle))
        .map((c) => {
          const on = selected.includes(c.code);
          return h(
            "label.labour-row",
            { class: on ? "on" : "", dataset: { code: c.code } },
            h("input", {
              type: "checkbox",
              checked: on,
              onchange: (event) => {
                if (event.target.checked) selected.push(c.code);
                else selected.splice(selected.indexOf(c.code), 1);
                onChange();
                draw();
              },
            }),
            h("span.code", c.code),
            h("span.text", c.text || c.code),
            h("span.minutes", `${c.standard_minutes} min`)
          );
        })
    );
    const total = selected.reduce((sum, code) => sum + (state.catalogue.find((c) => c.code === code)?.standard_minutes || 0), 0);
    clear(
      chips,
      selected.length
        ? [
            ...selected.map((code) =>
              h(
                "span.chip.work-chip",
                code,
                h("button.link", { type: "button", "aria-label": `Remove ${code}`, onclick: () => { selected.splice(selected.indexOf(code), 1); onChange(); draw(); } }, "×")
              )
            ),
            h("span.muted", `${duration(total)} standard time`),
          ]
        : h("span.muted", "No work chosen yet.")
    );
  };
  search.addEventListener("input", draw);
  draw();
  return h("div.labour-picker", chips, search, list);
}

// ---------------------------------------------------------------- quote

function renderQuote() {
  const q = state.quote;
  const days = bookingDays();
  const arrivalDay = h("select", { name: "arrival-day", "aria-label": "Arrival day", disabled: q.arrival === "earliest", onchange: (e) => (q.day = e.target.value) }, days.map((d) => h("option", { value: d, selected: d === q.day }, state.zone.labelOf(d))));
  const arrivalTime = h("select", { name: "arrival-time", "aria-label": "Arrival time", disabled: q.arrival === "earliest", onchange: (e) => (q.time = e.target.value) });
  const fillTimes = () => {
    const times = arrivalTimes(q.day);
    if (!times.includes(q.time)) q.time = times[0] || "09:00";
    clear(arrivalTime, times.map((t) => h("option", { value: t, selected: t === q.time }, t)));
  };
  fillTimes();
  arrivalDay.addEventListener("change", fillTimes);
  const radio = (name, value, checked, label, onchange) =>
    h("label.radio", h("input", { type: "radio", name, value, checked, onchange }), label);
  const form = h(
    "form.card.quote-form",
    { onsubmit: (event) => { event.preventDefault(); runQuote(); } },
    h("h2", "Quote a prospective job"),
    h("h3", "Work"),
    labourPicker(q.codes, () => {}, "quote"),
    h("h3", "Arrival"),
    h(
      "div.radio-row",
      radio("arrival", "earliest", q.arrival === "earliest", "Earliest (now or next opening)", () => { q.arrival = "earliest"; arrivalDay.disabled = arrivalTime.disabled = true; }),
      radio("arrival", "at", q.arrival === "at", "At", () => { q.arrival = "at"; arrivalDay.disabled = arrivalTime.disabled = false; })
    ),
    h("div.inline-fields", arrivalDay, arrivalTime),
    h("h3", "Customer"),
    h(
      "div.radio-row",
      radio("waiting", "yes", q.waiting, "Waits at the dealership", () => (q.waiting = true)),
      radio("waiting", "no", !q.waiting, "Drops the car off", () => (q.waiting = false))
    ),
    h(
      "div.inline-fields",
      h("label.field", h("span", "Vehicle model"), h("input", { name: "model", value: q.model, placeholder: "e.g. Toyota Camry", oninput: (e) => (q.model = e.target.value) })),
      h(
        "label.field",
        h("span", "Powertrain"),
        h("select", { name: "powertrain", onchange: (e) => (q.powertrain = e.target.value) }, ["ice", "hybrid", "phev", "ev"].map((p) => h("option", { value: p, selected: p === q.powertrain }, p.toUpperCase())))
      ),
      h(
        "label.field",
        h("span", "Priority"),
        h("select", { name: "priority", onchange: (e) => (q.priority = e.target.value) }, ["normal", "fleet", "warranty", "vip"].map((p) => h("option", { value: p, selected: p === q.priority }, p)))
      )
    ),
    h("div.form-actions", h("button.primary", { type: "submit", dataset: { action: "quote" } }, "Quote promise time"))
  );
  el.result = h("section.card.quote-result", { "aria-live": "polite" });
  el.slots = h("section.card.slots");
  clear(el.main, h("div.desk-grid", form, h("div.desk-results", el.result, el.slots)));
  renderQuoteResult();
  renderSlots();
}

/** Arrival times of a day, every 15 minutes of its opening hours. */
function arrivalTimes(day) {
  const times = [];
  for (const [start, end] of openingWindows(state.workshop, day)) {
    for (let m = start; m < end; m += 15) times.push(clock(m));
  }
  return times;
}

function prospect() {
  const q = state.quote;
  const body = { work: q.codes.map((code) => ({ labour_code: code })), customer_waiting: q.waiting, priority: q.priority };
  if (q.model || q.powertrain !== "ice") body.vehicle = { model: q.model, powertrain: q.powertrain };
  return body;
}

async function runQuote() {
  const q = state.quote;
  if (!q.codes.length) {
    toast("Choose the work first: one or more labour codes.", "error");
    return;
  }
  const id = encodeURIComponent(state.workshopId);
  let arrival = "earliest";
  if (q.arrival === "at") {
    const [hh, mm] = (q.time || "09:00").split(":").map(Number);
    arrival = state.zone.iso(q.day, hh * 60 + mm);
  }
  state.quoteResult = { loading: true };
  renderQuoteResult();
  try {
    state.quoteResult = await api(`/v1/workshops/${id}/quotes`, { method: "POST", body: { ...prospect(), arrival } });
  } catch (error) {
    state.quoteResult = { error: describeError(error) };
    renderQuoteResult();
    return;
  }
  renderQuoteResult();
  await loadSlots(state.zone.day(state.quoteResult.arrival_at));
}

async function loadSlots(day) {
  state.slotsDay = day;
  state.slots = { loading: true };
  renderSlots();
  try {
    state.slots = await api(`/v1/workshops/${encodeURIComponent(state.workshopId)}/quotes/slots`, {
      method: "POST",
      body: { ...prospect(), day, slot_minutes: 30 },
    });
  } catch (error) {
    state.slots = { error: describeError(error) };
  }
  renderSlots();
}

function renderQuoteResult() {
  const r = state.quoteResult;
  const { zone } = state;
  if (!r) {
    clear(el.result, h("h2", "Promise"), h("p.muted", "Choose the work and press “Quote promise time”. Nothing is booked by quoting."));
    return;
  }
  if (r.loading) {
    clear(el.result, h("h2", "Promise"), h("p.muted", "Fitting the job into the plan…"));
    return;
  }
  if (r.error) {
    clear(el.result, h("h2", "Promise"), h("p.error-text", { role: "alert" }, r.error));
    return;
  }
  const day = zone.day(r.arrival_at);
  const technician = (tid) => state.workshop.technicians.find((t) => t.id === tid)?.name || tid || "—";
  const bay = (bid) => state.workshop.bays.find((b) => b.id === bid)?.name || bid || "no bay";
  clear(
    el.result,
    h("h2", "Promise"),
    h(
      "div.promise-row",
    r.promise_at
      ? h(
          "div.promise-box",
          { dataset: { promise: r.promise_at } },
          h("div.promise-label", "Promise the customer"),
          h("div.promise-time", zone.time(r.promise_at)),
          h("div.promise-day", zone.labelOf(zone.day(r.promise_at)))
        )
      : h("div.promise-box.none", h("div.promise-time", "No promise"), h("div.promise-day", "the work does not fit in the planning horizon")),
    h(
      "dl.times",
      h("div.fact", h("dt", "Arrival"), h("dd", `${zone.time(r.arrival_at)} ${zone.labelOf(day)}`)),
      h("div.fact", h("dt", "Predicted ready"), h("dd", r.predicted_completion ? zone.timeOn(r.predicted_completion, day) : "—")),
      h("div.fact", h("dt", "Margin"), h("dd", r.margin_minutes !== null ? duration(r.margin_minutes) : "—")),
      h("div.fact", h("dt", "Based on"), h("dd", r.based_on_plan_version ? `plan v${r.based_on_plan_version}` : "no plan"))
    )
    ),
    r.late_in_day ? h("p.warning", "The promise falls late in the day: offer an earlier arrival or the next morning.") : null,
    r.reasons?.length ? [h("h3", "Why then"), h("ul.reason-list", r.reasons.map((x) => h("li", x)))] : null,
    r.operations?.length
      ? [
          h("h3", "How it would be done"),
          h(
            "table.ops-table",
            h("thead", h("tr", h("th", "Work"), h("th", "Technician"), h("th", "Bay"), h("th", "Time"))),
            h(
              "tbody",
              r.operations.map((o) =>
                h("tr", h("td", o.text || o.labour_code), h("td", technician(o.technician_id)), h("td", bay(o.bay_id)), h("td.num", `${zone.timeOn(o.start, day)}–${zone.timeOn(o.end, day)}`))
              )
            )
          ),
        ]
      : null
  );
}

function renderSlots() {
  const s = state.slots;
  const { zone } = state;
  const days = bookingDays();
  const tabs = h(
    "div.day-tabs.small",
    days.map((d) => h("button", { type: "button", class: d === state.slotsDay ? "active" : "", dataset: { day: d }, disabled: !state.quote.codes.length, onclick: () => loadSlots(d) }, zone.labelOf(d)))
  );
  const head = h("div.slots-head", h("h2", "Appointment slots"), tabs);
  if (!s) {
    clear(el.slots, head, h("p.muted", "Slots appear with the quote: each arrival time graded by the promise it allows and by how much it disturbs the plan."));
    return;
  }
  if (s.loading) {
    clear(el.slots, head, h("p.muted", "Grading the slots of the day…"));
    return;
  }
  if (s.error) {
    clear(el.slots, head, h("p.error-text", { role: "alert" }, s.error));
    return;
  }
  const grid = h(
    "div.slot-grid",
    s.slots.map((slot) =>
      h(
        "button.slot",
        {
          type: "button",
          class: `grade-${slot.grade}`,
          disabled: slot.grade === "unavailable",
          dataset: { grade: slot.grade, arrival: slot.arrival_at },
          title: slotTitle(slot),
          onclick: () => pickSlot(slot),
        },
        h("span.slot-time", zone.time(slot.arrival_at)),
        h("span.slot-promise", slot.promise_at ? `ready ${compact(slot.promise_at, s.day)}` : "no promise"),
        h("span.slot-grade", GRADES[slot.grade] || slot.grade)
      )
    )
  );
  clear(
    el.slots,
    head,
    h("div.legend.grades", Object.entries(GRADES).map(([k, label]) => h("span.legend-item", h(`span.swatch.grade-${k}`), label))),
    s.slots.length ? grid : h("p.muted", "The workshop is closed that day.")
  );
}

/** "17:30", or "Tue 08:00" on another day. */
function compact(moment, day) {
  const local = state.zone.local(moment);
  const time = clock(Math.floor(local.minutes));
  return local.day === day ? time : `${state.zone.labelOf(local.day).split(" ")[0]} ${time}`;
}

function slotTitle(slot) {
  const { zone } = state;
  return [
    `Arrive ${zone.time(slot.arrival_at)} → promise ${slot.promise_at ? zone.time(slot.promise_at) : "none"}`,
    `${GRADES[slot.grade]}: ${slot.moved_jobs} other job(s) move, ${duration(slot.disturbance_minutes)} later in all`,
    slot.breaks_promise ? `breaks the promise of ${slot.broken_promises.join(", ")}` : null,
  ]
    .filter(Boolean)
    .join("\n");
}

function pickSlot(slot) {
  const local = state.zone.local(slot.arrival_at);
  state.quote.arrival = "at";
  state.quote.day = local.day;
  state.quote.time = clock(Math.round(local.minutes));
  renderQuote();
  runQuote();
}

// ---------------------------------------------------------------- supplemental work

async function renderSupplemental() {
  const s = state.supplemental;
  const id = encodeURIComponent(state.workshopId);
  clear(el.main, h("p.muted.pad", "Loading the jobs in the workshop…"));
  let jobs = [];
  try {
    jobs = (await api(`/v1/workshops/${id}/jobs?status=arrived&status=in_progress&status=on_hold&limit=1000`)).items;
  } catch (error) {
    clear(el.main, h("p.error-text.pad", describeError(error)));
    return;
  }
  if (state.tab !== "supplemental") return;
  const select = h(
    "select",
    { name: "job", "aria-label": "Job", onchange: (e) => { s.jobId = e.target.value; state.preview = null; renderSupplemental(); } },
    h("option", { value: "" }, "— choose a job in the workshop —"),
    jobs.map((j) => h("option", { value: j.id, selected: j.id === s.jobId }, `${j.id} · ${j.vehicle?.model || ""} · ${j.customer_name || ""} (${j.status.replaceAll("_", " ")})`))
  );
  const job = jobs.find((j) => j.id === s.jobId) || null;
  const form = h(
    "form.card.supp-form",
    { onsubmit: (event) => { event.preventDefault(); propose(job); } },
    h("h2", "Supplemental work found on a job"),
    h("label.field", h("span", "Job"), select),
    job ? jobSummary(job) : null,
    h("h3", "Work found"),
    labourPicker(s.codes, () => {}, "supplemental"),
    h("h3", "Part (optional)"),
    h(
      "div.inline-fields",
      h("label.field", h("span", "Part number"), h("input", { name: "part", value: s.part, oninput: (e) => (s.part = e.target.value.trim()) })),
      h("label.field.narrow", h("span", "Qty"), h("input", { name: "qty", type: "number", min: 1, value: s.partQty, oninput: (e) => (s.partQty = Number(e.target.value) || 1) })),
      h("label.field", h("span", "Arrives (empty: on hand)"), h("input", { name: "eta", type: "datetime-local", value: s.partEta, oninput: (e) => (s.partEta = e.target.value) }))
    ),
    h("label.field", h("span", "Note for the customer call"), h("textarea", { name: "note", rows: 2, placeholder: "e.g. front pads at 2 mm", oninput: (e) => (s.note = e.target.value) }, s.note)),
    h("div.form-actions", h("button.primary", { type: "submit", disabled: !job, dataset: { action: "preview" } }, "Preview the delay"))
  );
  el.preview = h("section.card.preview", { "aria-live": "polite" });
  el.proposals = h("section.card.proposals");
  clear(el.main, h("div.desk-grid", form, h("div.desk-results", el.preview, el.proposals)));
  renderPreview();
  if (job) loadProposals(job.id);
  else clear(el.proposals, h("h2", "Proposals"), h("p.muted", "Choose a job to see its supplemental work."));
}

function jobSummary(job) {
  const { zone } = state;
  const forecast = state.plan?.plan?.jobs.find((f) => f.job_id === job.id);
  const today = serviceToday();
  return h(
    "dl.times.compact",
    h("div.fact", h("dt", "Promised"), h("dd", job.promised_at ? zone.timeOn(job.promised_at, today) : "none")),
    h("div.fact", h("dt", "Predicted"), h("dd", forecast?.completion ? zone.timeOn(forecast.completion, today) : "—")),
    h("div.fact", h("dt", "Customer"), h("dd", job.customer_waiting ? "waiting" : "drop-off"))
  );
}

async function propose(job) {
  const s = state.supplemental;
  if (!s.codes.length) {
    toast("Choose the work found: one or more labour codes.", "error");
    return;
  }
  const body = { work: s.codes.map((code) => ({ labour_code: code })), note: s.note };
  if (s.part) {
    let eta = null;
    if (s.partEta) {
      const [day, time] = s.partEta.split("T");
      const [hh, mm] = time.split(":").map(Number);
      eta = state.zone.iso(day, hh * 60 + mm);
    }
    body.parts = [{ part_number: s.part, quantity: s.partQty || 1, eta }];
  }
  state.preview = { loading: true };
  renderPreview();
  try {
    state.preview = await api(`/v1/workshops/${encodeURIComponent(state.workshopId)}/jobs/${encodeURIComponent(job.id)}/supplemental`, { method: "POST", body });
  } catch (error) {
    state.preview = { error: describeError(error) };
  }
  renderPreview();
  loadProposals(job.id);
}

function renderPreview() {
  const p = state.preview;
  if (!p) {
    clear(el.preview, h("h2", "Preview"), h("p.muted", "The preview shows the job's new completion and every other job it would move. Nothing is planned until the customer approves."));
    return;
  }
  if (p.loading) {
    clear(el.preview, h("h2", "Preview"), h("p.muted", "Planning the extra work…"));
    return;
  }
  if (p.error) {
    clear(el.preview, h("h2", "Preview"), h("p.error-text", { role: "alert" }, p.error));
    return;
  }
  clear(el.preview, h("h2", "Preview"), proposalView(p, true));
}

function proposalView(p, large) {
  const { zone } = state;
  const day = p.promised_at ? zone.day(p.promised_at) : serviceToday();
  const status = h(`span.badge.status-${p.status}`, p.status);
  const decide = async (action) => {
    try {
      const answer = await api(`/v1/workshops/${encodeURIComponent(state.workshopId)}/jobs/${encodeURIComponent(p.job_id)}/supplemental/${encodeURIComponent(p.id)}/${action}`, { method: "POST" });
      toast(
        answer.status === "approved" ? `Approved; re-plan v${answer.plan_version} started.` : `Recorded as ${answer.status}; the plan stays v${answer.plan_version ?? "—"}.`,
        "ok"
      );
      if (state.preview && state.preview.id === p.id) state.preview = { ...state.preview, status: answer.status, plan_version: answer.plan_version };
      renderPreview();
      loadProposals(p.job_id);
    } catch (error) {
      toast(describeError(error), "error");
    }
  };
  const later = p.delay_minutes > 0;
  return h(
    "div.proposal",
    { class: large ? "large" : "", dataset: { proposal: p.id, status: p.status } },
    h("div.proposal-head", h("b", `${p.id}`), h("span.muted", p.operation_ids.join(", ")), status),
    p.note ? h("p.muted", `“${p.note}”`) : null,
    h(
      "dl.times",
      h("div.fact", h("dt", "Promised"), h("dd", p.promised_at ? zone.timeOn(p.promised_at, day) : "none")),
      h("div.fact", h("dt", "Ready before"), h("dd", p.predicted_completion_before ? zone.timeOn(p.predicted_completion_before, day) : "—")),
      h("div.fact", h("dt", "Ready with the work"), h("dd", p.predicted_completion ? zone.timeOn(p.predicted_completion, day) : "does not fit")),
      h("div.fact", { class: later ? "bad" : "good" }, h("dt", "Delay"), h("dd", later ? duration(p.delay_minutes) : "none")),
      h("div.fact", h("dt", "New promise"), h("dd", p.new_promise_at ? zone.timeOn(p.new_promise_at, day) : "—"))
    ),
    p.moved_jobs?.length
      ? [
          h("h3", `Other jobs it moves (${p.moved_jobs.length})`),
          h(
            "table.ops-table",
            h("thead", h("tr", h("th", "Job"), h("th", "Before"), h("th", "After"), h("th", "Change"))),
            h(
              "tbody",
              p.moved_jobs.map((m) =>
                h(
                  "tr",
                  h("td", m.job_id),
                  h("td.num", m.completion_before ? zone.timeOn(m.completion_before, day) : "—"),
                  h("td.num", m.completion_after ? zone.timeOn(m.completion_after, day) : "—"),
                  h("td.num", m.delta_minutes === null ? "—" : `${m.delta_minutes > 0 ? "+" : "−"}${duration(m.delta_minutes)}`)
                )
              )
            )
          ),
        ]
      : h("p.muted", "No other job moves."),
    p.status === "pending"
      ? h(
          "div.form-actions",
          h("button.primary", { type: "button", dataset: { action: "approve" }, onclick: () => decide("approve") }, "Customer approves"),
          h("button", { type: "button", dataset: { action: "decline" }, onclick: () => decide("decline") }, "Declines"),
          h("button", { type: "button", dataset: { action: "defer" }, onclick: () => decide("defer") }, "Defer to a later visit")
        )
      : p.plan_version
        ? h("p.muted", p.status === "approved" ? `Approved: re-plan v${p.plan_version}.` : `Plan stays v${p.plan_version}.`)
        : null
  );
}

async function loadProposals(jobId) {
  clear(el.proposals, h("h2", "Proposals on this job"), h("p.muted", "Loading…"));
  try {
    const list = await api(`/v1/workshops/${encodeURIComponent(state.workshopId)}/jobs/${encodeURIComponent(jobId)}/supplemental`);
    const others = list.items.filter((p) => !state.preview || p.id !== state.preview.id).reverse();
    clear(el.proposals, h("h2", "Proposals on this job"), others.length ? others.map((p) => proposalView(p, false)) : h("p.muted", "No other supplemental work on this job."));
  } catch (error) {
    clear(el.proposals, h("h2", "Proposals on this job"), h("p.error-text", describeError(error)));
  }
}

main();
