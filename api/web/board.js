// The dispatch board: the published plan of a workshop as a timeline, kept up to date by the plan feed.

import {
  ApiError,
  Zone,
  api,
  auth,
  clear,
  describeError,
  duration,
  h,
  noAccess,
  pageHeader,
  percent,
  signIn,
  toast,
  withDefaults,
} from "./common.js";
import { STATES, explanation, partsWaits, planDays, shortLabels, timelineItems, troubleJobs } from "./board-model.js";
import { renderTimeline } from "./board-timeline.js";
import { renderChanges, renderJob } from "./board-drawer.js";

const OPEN = ["booked", "arrived", "in_progress", "on_hold"];
const FINISHED = ["done", "stopped", "failed", "interrupted", "cancelled"];
const VIEWS = { technicians: "Technicians", bays: "Bays", resources: "Lifts & equipment" };

const state = {
  workshopId: null,
  workshop: null,
  zone: null,
  published: null, // PlanOut of the published plan (null: none yet)
  draft: null, // PlanOut of a draft shown instead of the published plan
  feed: null,
  jobs: new Map(),
  parts: null,
  view: "technicians",
  day: null,
  selected: null, // {job, op} | {changes: true}
  loading: null,
  reloadAgain: false,
  timeline: null,
};

const el = {};

async function main() {
  const root = document.getElementById("app");
  let session;
  try {
    session = await signIn(root, {
      title: "Dispatch board",
      subtitle: "Who works on which car, in which bay, and when each car will be done.",
    });
  } catch (error) {
    fatal(root, error);
    return;
  }
  state.workshopId = session.workshopId;
  try {
    state.workshop = withDefaults(await api(`/v1/workshops/${encodeURIComponent(state.workshopId)}`));
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
      noAccess(root, state.workshopId, session.workshops, "/board");
      document.body.dataset.state = "no-access";
      return;
    }
    fatal(root, error);
    return;
  }
  state.zone = new Zone(state.workshop.timezone);
  const params = new URLSearchParams(location.search);
  if (VIEWS[params.get("view")]) state.view = params.get("view");
  state.day = params.get("day");
  layout(root);
  await reload();
  follow();
  setInterval(() => state.timeline?.moveNow(state.zone.nowMinutes()), 30_000);
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(render, 150);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state.selected) select(null);
  });
}

function fatal(root, error) {
  clear(root, h("div.center-screen", h("div.signin", { role: "alert" }, h("h1", "The board could not load"), h("p.error-text", describeError(error)))));
}

function layout(root) {
  el.replan = h("span.replan-state", { "aria-live": "polite" });
  el.planInfo = h("span.plan-info");
  clear(
    root,
    pageHeader({ page: "/board", workshop: state.workshop, extra: [el.planInfo, el.replan] }),
    (el.kpis = h("section.kpis", { "aria-label": "Plan KPIs" })),
    (el.banner = h("div.banners")),
    (el.toolbar = h("div.toolbar")),
    h(
      "main.board-main",
      h("section.timeline-panel", (el.timeline = h("div.timeline-scroll"))),
      (el.side = h("aside.side-panel", { "aria-label": "Late and at-risk jobs" })),
      (el.drawer = h("aside.drawer", { hidden: true, "aria-label": "Details" }))
    )
  );
  el.drawer.id = "drawer";
}

/** The plan shown: the draft under review, or the published plan. */
function shownPlan() {
  return state.draft || state.published;
}

async function reload() {
  if (state.loading) {
    state.reloadAgain = true;
    return state.loading;
  }
  state.loading = (async () => {
    do {
      state.reloadAgain = false;
      const id = encodeURIComponent(state.workshopId);
      const statuses = OPEN.map((s) => `status=${s}`).join("&");
      const [published, jobs, parts] = await Promise.all([
        api(`/v1/workshops/${id}/plan`).catch((error) => {
          if (error instanceof ApiError && error.status === 404) return null;
          throw error;
        }),
        api(`/v1/workshops/${id}/jobs?${statuses}&limit=1000`),
        api(`/v1/workshops/${id}/parts`).catch(() => null),
      ]);
      state.published = published;
      if (state.draft && published && state.draft.version <= published.version) state.draft = null;
      state.jobs = new Map(jobs.items.map((j) => [j.id, j]));
      state.parts = parts;
      await loadFinishedJobs();
    } while (state.reloadAgain);
  })();
  try {
    await state.loading;
  } catch (error) {
    toast(`Could not load the plan: ${describeError(error)}`, "error");
  } finally {
    state.loading = null;
  }
  render();
}

/** Jobs already finished on the shown day: their done operations are drawn too. */
async function loadFinishedJobs() {
  const day = currentDay();
  if (!day) return;
  const id = encodeURIComponent(state.workshopId);
  try {
    const done = await api(`/v1/workshops/${id}/jobs?day=${day}&status=done&status=delivered&limit=1000`);
    for (const job of done.items) if (!state.jobs.has(job.id)) state.jobs.set(job.id, job);
  } catch {
    // the board works without them
  }
}

function days() {
  return planDays(state.workshop, shownPlan()?.plan, state.zone);
}

function currentDay() {
  const list = days();
  if (state.day && list.includes(state.day)) return state.day;
  const today = state.zone.today();
  return list.includes(today) ? today : list[0];
}

function model() {
  const planOut = shownPlan();
  const plan = planOut?.plan || null;
  const now = plan?.horizon_start || new Date().toISOString();
  const waits = partsWaits(plan, state.jobs, state.parts, now);
  const base = { workshop: state.workshop, zone: state.zone, plan, jobs: state.jobs, waits, parts: state.parts };
  const items = timelineItems(base);
  const labels = shortLabels([...new Set(items.map((i) => i.job_id))]);
  return { ...base, items, labels, planOut, day: currentDay(), days: days(), view: state.view };
}

function render() {
  const m = model();
  const planOut = m.planOut;
  document.body.dataset.planVersion = planOut ? String(planOut.version) : "";
  document.body.dataset.planId = planOut ? planOut.id : "";
  document.body.dataset.planState = planOut ? planOut.state : "";
  document.body.dataset.day = m.day;
  document.body.dataset.view = state.view;
  renderPlanInfo(planOut);
  renderKpis(m);
  renderBanners(m);
  renderToolbar(m);
  const scroll = el.timeline.scrollTop;
  if (!m.plan) {
    clear(el.timeline, h("div.empty", h("h2", "No published plan yet"), h("p.muted", "The first plan appears here as soon as the solver has published it.")));
    state.timeline = null;
  } else {
    state.timeline = renderTimeline(el.timeline, {
      ...m,
      selectedJob: state.selected?.job || null,
      onSelect: (job, op) => select({ job, op }),
    });
  }
  el.timeline.scrollTop = scroll;
  renderSide(m);
  renderDrawer(m);
  document.body.dataset.loaded = "true";
}

function renderPlanInfo(planOut) {
  if (!planOut) {
    clear(el.planInfo, h("span.muted", "no plan yet"));
    return;
  }
  const solve = planOut.plan?.solve;
  const when = planOut.state === "published" && planOut.published_at ? `published ${state.zone.time(planOut.published_at)}` : planOut.state;
  const how = solve ? (solve.status === solve.engine ? solve.engine : `${solve.engine} ${solve.status}`) : null;
  clear(
    el.planInfo,
    h("b.plan-version", { dataset: { version: planOut.version } }, `Plan v${planOut.version}`),
    h("span.muted", when),
    how ? h("span.muted", { title: `objective ${solve.objective ?? "—"}` }, `· ${how}, ${solve.solve_seconds.toFixed(1)} s`) : null
  );
}

function kpi(label, value, note, kind = "", name = "") {
  return h("div.kpi", { class: kind, dataset: { kpi: name } }, h("div.kpi-value", value), h("div.kpi-label", label), note ? h("div.kpi-note", note) : null);
}

function renderKpis(m) {
  const k = m.plan?.kpis;
  if (!k) {
    clear(el.kpis);
    return;
  }
  const atRisk = m.plan.jobs.filter((j) => j.at_risk && !j.late).length;
  clear(
    el.kpis,
    kpi("On time", percent(k.on_time_share), `${k.jobs_with_promise - k.late_jobs} of ${k.jobs_with_promise} promised jobs`, k.on_time_share < 0.9 ? "warn" : "good", "on_time_share"),
    kpi("Late jobs", String(k.late_jobs), k.late_jobs ? `${duration(k.total_tardiness_minutes)} in all, worst ${duration(k.worst_tardiness_minutes)}` : "none", k.late_jobs ? "bad" : "good", "late_jobs"),
    kpi("At risk", String(atRisk), `slack under ${state.workshop.settings.at_risk_slack_minutes ?? 30} min`, atRisk ? "warn" : "", "at_risk"),
    kpi("Utilisation", percent(k.technician_utilisation), "planned work / shift time", "", "utilisation"),
    kpi("Overtime", duration(k.overtime_minutes), "over all technicians", k.overtime_minutes ? "warn" : "", "overtime"),
    kpi("Jobs planned", String(k.jobs_planned), k.unplanned_operations ? `${k.unplanned_operations} operations do not fit` : "everything fits", k.unplanned_operations ? "bad" : "", "jobs_planned")
  );
}

function renderBanners(m) {
  const banners = [];
  const feed = state.feed;
  if (state.draft) {
    banners.push(
      h(
        "div.banner.draft",
        { role: "status" },
        h("b", `Draft plan v${state.draft.version}`),
        ` — not published. On time ${percent(state.draft.kpis?.on_time_share)} (published: ${percent(state.published?.kpis?.on_time_share)}).`,
        h("span.spacer"),
        h("button.primary", { type: "button", onclick: () => publish(state.draft.id) }, "Publish"),
        h("button", { type: "button", onclick: () => showDraft(null) }, "Back to the published plan")
      )
    );
  } else if (feed?.latest && feed.latest.state === "draft" && FINISHED.includes(feed.latest.status) && feed.latest.status !== "failed" && feed.latest.status !== "cancelled" && (!feed.published || feed.latest.version > feed.published.version)) {
    banners.push(
      h(
        "div.banner.draft",
        { role: "status", dataset: { draft: feed.latest.id } },
        h("b", `Draft plan v${feed.latest.version} is ready`),
        " — it is not published yet.",
        h("span.spacer"),
        h("button", { type: "button", onclick: () => showDraft(feed.latest.id) }, "Review"),
        h("button.primary", { type: "button", onclick: () => publish(feed.latest.id) }, "Publish")
      )
    );
  }
  if (!m.plan && !state.published) {
    // the empty state says it
  }
  clear(el.banner, banners);
  const running = feed?.latest && ["queued", "running"].includes(feed.latest.status);
  el.replan.className = `replan-state${running ? " busy" : ""}${state.feedDown ? " offline" : ""}`;
  el.replan.textContent = state.feedDown ? "offline: reconnecting…" : running ? `re-planning (v${feed.latest.version})…` : "live";
  el.replan.title = state.feedDown ? "The live feed is interrupted; the board reconnects by itself." : "The board follows new plans as they are published.";
}

function renderToolbar(m) {
  const dayTabs = h(
    "div.day-tabs",
    { role: "tablist", "aria-label": "Day" },
    m.days.map((d) =>
      h(
        "button",
        {
          type: "button",
          role: "tab",
          "aria-selected": String(d === m.day),
          class: d === m.day ? "active" : "",
          dataset: { day: d },
          onclick: () => setDay(d),
        },
        state.zone.labelOf(d),
        d === state.zone.today() ? h("span.today", "today") : null
      )
    )
  );
  const views = h(
    "div.segmented",
    { role: "tablist", "aria-label": "Rows" },
    Object.entries(VIEWS).map(([key, label]) =>
      h(
        "button",
        { type: "button", role: "tab", "aria-selected": String(key === state.view), class: key === state.view ? "active" : "", dataset: { view: key }, onclick: () => setView(key) },
        label
      )
    )
  );
  const legend = h(
    "div.legend",
    Object.entries(STATES).map(([key, label]) => h("span.legend-item", h(`span.swatch.state-${key}`), label)),
    h("span.legend-item", h("span.swatch.promise-swatch"), "Promise")
  );
  const changes = m.plan?.changes;
  const changeChip = changes
    ? h(
        "button.chip",
        { type: "button", onclick: () => select({ changes: true }), title: "What the last re-plan changed", dataset: { action: "changes" } },
        `Last re-plan: ${changes.moved.length} moved · ${changes.completions.filter((c) => (c.delta_minutes || 0) > 0).length} later` +
          (changes.new_at_risk.length ? ` · ${changes.new_at_risk.length} newly at risk` : "")
      )
    : null;
  const replan = h("button", { type: "button", onclick: replanNow, title: "Solve again now with the current jobs and events" }, "Re-plan");
  clear(el.toolbar, dayTabs, views, legend, h("span.spacer"), changeChip, replan);
}

function renderSide(m) {
  const trouble = troubleJobs(m.plan);
  const late = trouble.filter((j) => j.late).length;
  const job = (id) => state.jobs.get(id);
  const cards = trouble.map((forecast) => {
    const { headline, rest } = explanation(forecast);
    const info = job(forecast.job_id);
    const waiting = [...m.waits.keys()].some((k) => k.startsWith(`${forecast.job_id}\u0000`));
    return h(
      "button.trouble",
      {
        type: "button",
        class: `${forecast.late ? "late" : "risk"}${state.selected?.job === forecast.job_id ? " selected" : ""}`,
        dataset: { job: forecast.job_id },
        onclick: () => select({ job: forecast.job_id }),
      },
      h(
        "div.trouble-head",
        h("b", forecast.job_id),
        h(`span.badge.${forecast.late ? "late" : "risk"}`, forecast.late ? `late ${duration(-(forecast.slack_minutes || 0))}` : forecast.slack_minutes !== null ? `${duration(forecast.slack_minutes)} slack` : "at risk")
      ),
      h(
        "div.trouble-meta",
        [info?.vehicle?.model, info?.customer_waiting ? "waiting" : null, waiting ? "parts" : null].filter(Boolean).join(" · ") || "\u00a0"
      ),
      h(
        "div.trouble-times",
        `promised ${state.zone.timeOn(forecast.promised_at, m.day)} · predicted ${forecast.completion ? state.zone.timeOn(forecast.completion, m.day) : "—"}`
      ),
      h("div.reason", rest[0] || headline || "")
    );
  });
  const unplanned = m.plan?.unplanned || [];
  clear(
    el.side,
    h("div.side-head", h("h2", "Late & at risk"), h("span.counts", h("span.badge.late", `${late} late`), h("span.badge.risk", `${trouble.length - late} at risk`))),
    h("div.trouble-list", cards.length ? cards : h("p.muted.pad", "Every promised job is on time with a comfortable margin.")),
    unplanned.length
      ? h(
          "div.unplanned",
          h("h2", "Not planned"),
          unplanned.map((u) => h("button.trouble.late", { type: "button", onclick: () => select({ job: u.job_id, op: u.operation_id }) }, h("b", `${u.job_id} / ${u.operation_id}`), h("div.reason", u.reason)))
        )
      : null
  );
}

function renderDrawer(m) {
  if (!state.selected) {
    el.drawer.hidden = true;
    document.body.classList.remove("drawer-open");
    return;
  }
  document.body.classList.add("drawer-open");
  const ctx = {
    ...m,
    workshopId: state.workshopId,
    draft: Boolean(state.draft),
    onSelect: (job, op) => select({ job, op }),
    onClose: () => select(null),
    onChanged: () => reload(),
  };
  const editing = el.drawer.querySelector(".pin-form");
  if (editing && !state.selected.changes && el.drawer.dataset.job === state.selected.job) return; // keep the form being filled in
  if (state.selected.changes) renderChanges(el.drawer, ctx);
  else renderJob(el.drawer, ctx, state.selected.job, state.selected.op);
}

function select(selection) {
  state.selected = selection;
  render();
}

function setDay(day) {
  state.day = day;
  updateUrl();
  loadFinishedJobs().then(render);
  render();
}

function setView(view) {
  state.view = view;
  updateUrl();
  render();
}

function updateUrl() {
  const params = new URLSearchParams(location.search);
  params.set("view", state.view);
  if (state.day) params.set("day", state.day);
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

async function replanNow() {
  try {
    const accepted = await api(`/v1/workshops/${encodeURIComponent(state.workshopId)}/plans`, { method: "POST" });
    toast(`Re-plan v${accepted.version} ${accepted.coalesced ? "joined the queued solve" : "started"}.`, "ok");
  } catch (error) {
    toast(`Re-plan refused: ${describeError(error)}`, "error");
  }
}

async function showDraft(planId) {
  if (!planId) {
    state.draft = null;
    render();
    return;
  }
  try {
    state.draft = await api(`/v1/workshops/${encodeURIComponent(state.workshopId)}/plans/${encodeURIComponent(planId)}`);
    render();
  } catch (error) {
    toast(describeError(error), "error");
  }
}

async function publish(planId) {
  try {
    const plan = await api(`/v1/workshops/${encodeURIComponent(state.workshopId)}/plans/${encodeURIComponent(planId)}/publish`, { method: "POST" });
    toast(`Plan v${plan.version} published.`, "ok");
    state.draft = null;
    await reload();
  } catch (error) {
    toast(`Publishing refused: ${describeError(error)}`, "error");
  }
}

// ---------------------------------------------------------------- following re-plans

/** Reads the plan feed (server-sent events over fetch, so that the key goes in the header). */
async function follow() {
  let failures = 0;
  for (;;) {
    try {
      const response = await fetch(`/v1/workshops/${encodeURIComponent(state.workshopId)}/plan-feed`, {
        headers: { Accept: "text/event-stream", Authorization: `Bearer ${auth.key}` },
        cache: "no-store",
      });
      if (response.status === 401 || response.status === 404) {
        setFeedDown(true);
        return;
      }
      if (!response.ok || !response.body) throw new Error(`feed answered ${response.status}`);
      failures = 0;
      setFeedDown(false);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const chunk = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = chunk.split("\n");
          const type = lines.find((l) => l.startsWith("event:"))?.slice(6).trim();
          const data = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
          if (type === "plan" && data) onFeed(JSON.parse(data));
        }
      }
    } catch {
      failures += 1;
      setFeedDown(true);
      await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 1000 * failures)));
    }
  }
}

function setFeedDown(down) {
  if (state.feedDown === down) return;
  state.feedDown = down;
  renderBanners(model());
}

function onFeed(feed) {
  const before = state.feed;
  state.feed = feed;
  const shown = state.published?.id || null;
  const published = feed.published?.id || null;
  if (published !== shown) {
    if (before && published) toast(`New plan v${feed.published.version} published.`, "ok");
    reload();
  } else {
    renderBanners(model());
  }
}

main();
