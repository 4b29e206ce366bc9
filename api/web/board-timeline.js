// The timeline of one day: a row per technician, bay, lift or equipment unit; a bar per operation.

import { clock, duration, h } from "./common.js";
import { STATES, assignLanes, dayRange, onDay, shortOperation, viewRows } from "./board-model.js";

const LANE_HEIGHT = 30;

/**
 * Renders into `container`; answers {nowLines} so that the caller can move the "now" line.
 * model: {workshop, zone, plan, jobs, items, labels, view, day, selectedJob, onSelect}
 */
export function renderTimeline(container, model) {
  const { zone, day, view, plan } = model;
  const rows = viewRows(view, model, day);
  const placed = [];
  for (const item of model.items) {
    const whole = onDay(zone, day, item.start, item.end);
    if (!whole) continue;
    const pieces = item.pieces
      .map((p) => {
        const span = onDay(zone, day, p.start, p.end);
        return span && [span[0], span[1], Boolean(p.past)];
      })
      .filter(Boolean);
    if (!pieces.length && view === "technicians") continue; // paused all day: the technician is free
    const worked = pieces.length ? [Math.min(...pieces.map((x) => x[0])), Math.max(...pieces.map((x) => x[1]))] : whole;
    // A technician works the pieces; the car keeps its bay and lift from start to end.
    const span = view === "technicians" ? worked : whole;
    placed.push({ item, span, worked, pieces: pieces.length ? pieces : [[...whole, false]] });
  }
  const [lo, hi] = dayRange(model.workshop, day, placed.map((p) => p.worked));
  const range = hi - lo;
  // Pixels per minute at the present width, to choose how much of a label fits in a bar.
  const trackPixels = Math.max(860, container.clientWidth || 0) - (parseFloat(getComputedStyle(document.documentElement).getPropertyValue("--label-width")) || 176);
  model.pixelsPerMinute = trackPixels / range;
  const pct = (minutes) => `${(((Math.min(Math.max(minutes, lo), hi) - lo) / range) * 100).toFixed(3)}%`;
  const width = (s, e) => `${(((Math.min(e, hi) - Math.max(s, lo)) / range) * 100).toFixed(3)}%`;

  const forecasts = new Map((plan?.jobs || []).map((j) => [j.job_id, j]));
  const lastOf = new Map();
  for (const p of placed) {
    if (p.item.kind === "supplemental") continue;
    const known = lastOf.get(p.item.job_id);
    if (!known || known.item.end < p.item.end) lastOf.set(p.item.job_id, p);
  }

  const isToday = day === zone.today();
  const nowMinutes = isToday ? zone.nowMinutes() : null;
  const nowLines = [];
  const nowLine = () => {
    const line = h("div.now-line", { "aria-hidden": "true" });
    line.style.left = pct(nowMinutes);
    line.hidden = nowMinutes === null || nowMinutes < lo || nowMinutes > hi;
    nowLines.push(line);
    return line;
  };

  const hours = [];
  for (let m = lo; m <= hi; m += 60) {
    hours.push(h("div.hour-tick", { style: { left: pct(m) } }, m < hi ? h("span", clock(m)) : null));
  }
  const axis = h("div.tl-axis", hours);
  if (nowMinutes !== null && nowMinutes >= lo && nowMinutes <= hi) {
    const label = h("div.now-label", { style: { left: pct(nowMinutes) } }, `now ${clock(Math.floor(nowMinutes))}`);
    axis.append(label);
    nowLines.push(label);
  }
  const corner = { technicians: "Technician", bays: "Bay", resources: "Lift / equipment" }[view];
  const head = h("div.tl-head", h("div.tl-corner", corner), axis);

  const body = h("div.tl-body");
  let previousGroup = null;
  for (const row of rows) {
    const mine = placed.filter((p) => row.match(p.item));
    if (row.optional && !mine.length) continue;
    const group = view === "technicians" ? row.team : row.group || "";
    if (previousGroup !== null && group !== previousGroup) body.append(h("div.tl-separator"));
    previousGroup = group;
    const lanes = assignLanes(mine);
    const track = h("div.tl-track", { style: { height: `${lanes * LANE_HEIGHT + 8}px` } });
    for (const shade of row.shading) {
      const [s, e] = shade.span;
      if (e <= lo || s >= hi) continue;
      track.append(h(`div.shade.${shade.kind}`, { title: shade.title, style: { left: pct(s), width: width(s, e) } }));
    }
    for (const p of mine) track.append(bar(p, model, pct, width, forecasts));
    for (const [jobId, p] of lastOf) {
      if (!row.match(p.item)) continue;
      const forecast = forecasts.get(jobId);
      if (forecast?.promised_at) track.append(...promiseMarks(forecast, p, model, pct, width));
    }
    track.append(nowLine());
    let load = null;
    if (view === "technicians" && row.capacity !== undefined) {
      const worked = mine
        .filter((p) => p.item.kind === "op" || p.item.kind === "done")
        .reduce((sum, p) => sum + p.pieces.reduce((s, [a, b]) => s + b - a, 0), 0);
      const share = row.capacity ? worked / row.capacity : 0;
      load = h(
        "div.load",
        { title: `${duration(worked)} planned of ${duration(row.capacity)} on shift` },
        h("div.load-bar", h("div.load-fill", { style: { width: `${Math.min(100, share * 100)}%` }, class: share > 1 ? "over" : "" })),
        h("span", row.capacity ? `${Math.round(share * 100)}%` : "off")
      );
    }
    body.append(
      h(
        "div.tl-row",
        { dataset: { row: row.id }, role: "row" },
        h("div.tl-label", { role: "rowheader" }, h("div.tl-name", row.label), h("div.tl-sub", row.sub), load),
        track
      )
    );
  }
  const hourWidth = `${((60 / range) * 100).toFixed(4)}%`;
  const timeline = h("div.timeline", { role: "grid", "aria-label": `${corner} timeline`, style: { "--hour": hourWidth } }, head, body);
  timeline.style.setProperty("--hour", hourWidth);
  if (model.selectedJob) timeline.classList.add("has-selection");
  container.replaceChildren(timeline);
  return {
    nowLines,
    moveNow(minutes) {
      for (const line of nowLines) {
        line.hidden = minutes < lo || minutes > hi;
        line.style.left = pct(minutes);
        if (line.classList.contains("now-label")) line.textContent = `now ${clock(Math.floor(minutes))}`;
      }
    },
  };
}

function bar(p, model, pct, width, forecasts) {
  const { item, span, pieces } = p;
  const { zone, day } = model;
  const [s, e] = span;
  const forecast = forecasts.get(item.job_id);
  const within = (ps, pe) => ({ left: `${((ps - s) / (e - s)) * 100}%`, width: `${((pe - ps) / (e - s)) * 100}%` });
  const ahead = pieces.filter((piece) => !piece[2]);
  const labelled = ahead.length ? ahead : pieces;
  const widest = labelled.reduce((best, piece) => (piece[1] - piece[0] > best[1] - best[0] ? piece : best), labelled[0]);
  const paused = pieces.some((piece, i) => i > 0 && piece[0] > pieces[i - 1][1] + 0.5);
  const short = model.labels.get(item.job_id) || item.job_id;
  const widestPixels = (widest[1] - widest[0]) * (model.pixelsPerMinute || 1);
  const label = widestPixels < 22 ? "" : widestPixels < 64 ? short : `${short} ${item.text}`;
  const who = [
    item.technician_id && (model.workshop.technicians.find((t) => t.id === item.technician_id)?.name || item.technician_id),
    item.bay_id && (model.workshop.bays.find((b) => b.id === item.bay_id)?.name || item.bay_id),
    item.lift_id,
    ...item.equipment.map((x) => `${x.pool_id} ${x.unit}`),
  ].filter(Boolean);
  const title = [
    `${item.job_id} · ${shortOperation(item.job_id, item.operation_id)} ${item.text}`,
    `${zone.timeOn(item.start, day)}–${zone.timeOn(item.end, day)}${item.approximate ? " (approximate)" : ""} · ${who.join(" · ")}`,
    STATES[item.state],
    item.wait ? `waiting for part ${item.wait.part_number}${item.wait.eta ? ` (due ${zone.timeOn(item.wait.eta, day)})` : " (not on order)"}` : null,
    item.pinned && item.state !== "pinned" ? "pinned" : null,
    item.overtime ? `${item.overtime} min overtime` : null,
    forecast?.late ? `job late: ${forecast.reasons?.[0] || ""}` : forecast?.at_risk ? "job at risk" : null,
  ]
    .filter(Boolean)
    .join("\n");
  const classes = [`bar`, `state-${item.state}`];
  if (forecast?.late) classes.push("job-late");
  else if (forecast?.at_risk) classes.push("job-risk");
  if (model.selectedJob === item.job_id) classes.push("selected");
  if (item.overtime) classes.push("overtime");
  const element = h(
    "button",
    {
      type: "button",
      class: classes.join(" "),
      title,
      "aria-label": title.replaceAll("\n", ", "),
      dataset: {
        job: item.job_id,
        op: item.operation_id,
        state: item.state,
        start: item.start,
        end: item.end,
        technician: item.technician_id || "",
        bay: item.bay_id || "",
      },
      style: { left: pct(s), width: width(s, e), top: `${4 + p.lane * LANE_HEIGHT}px` },
      onclick: () => model.onSelect(item.job_id, item.operation_id),
    },
    paused ? h("span.gap-line") : null,
    ...pieces.map(([ps, pe, past]) => h("span.piece", { class: past ? "past" : "", style: within(ps, pe) })),
    h("span.bar-label", { style: within(...widest) }, item.pinned ? h("span.pin-icon", { "aria-hidden": "true" }) : null, label)
  );
  return element;
}

function promiseMarks(forecast, p, model, pct, width) {
  const { zone, day } = model;
  const promise = zone.local(forecast.promised_at);
  if (promise.day !== day) return [];
  const kind = forecast.late ? "late" : forecast.at_risk ? "risk" : "ok";
  const title = `${forecast.job_id}: promised ${zone.time(forecast.promised_at)}, predicted ${zone.timeOn(forecast.completion, day)}${
    forecast.slack_minutes !== null ? ` (${forecast.slack_minutes < 0 ? "late by " : "slack "}${duration(forecast.slack_minutes)})` : ""
  }`;
  const marks = [
    h(`div.promise.${kind}`, {
      title,
      dataset: { job: forecast.job_id },
      style: { left: pct(promise.minutes), top: `${p.lane * LANE_HEIGHT}px`, height: `${LANE_HEIGHT + 8}px` },
    }),
  ];
  if (forecast.late && forecast.completion) {
    const end = onDay(zone, day, forecast.promised_at, forecast.completion);
    if (end) {
      marks.push(
        h("div.late-span", {
          title,
          style: { left: pct(end[0]), width: width(end[0], end[1]), top: `${p.lane * LANE_HEIGHT + LANE_HEIGHT + 1}px` },
        })
      );
    }
  }
  return marks;
}
