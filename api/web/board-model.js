// What the board shows, derived from the workshop, the plan, the jobs and the parts: no DOM here.

import { addDays, clockMinutes, weekday } from "./common.js";

export const STATES = {
  planned: "Planned",
  parts: "Waiting for parts",
  pinned: "Pinned",
  started: "Started",
  done: "Done",
  supplemental: "Supplemental, pending approval",
};

/** Job id → a short label unique among `ids`: the last dash-separated segments ("RO-261123-001" → "001"). */
export function shortLabels(ids) {
  const labels = new Map();
  for (let segments = 1; segments <= 4; segments++) {
    const seen = new Map();
    for (const id of ids) {
      if (labels.has(id)) continue;
      const parts = id.split("-");
      const label = parts.slice(-segments).join("-");
      seen.set(label, (seen.get(label) || 0) + 1);
    }
    for (const id of ids) {
      if (labels.has(id)) continue;
      const label = id.split("-").slice(-segments).join("-");
      if (seen.get(label) === 1 || segments === 4) labels.set(id, label);
    }
  }
  return labels;
}

/** "RO-261123-001-02" of job "RO-261123-001" → "02"; other ids stay as they are. */
export function shortOperation(jobId, operationId) {
  return operationId.startsWith(`${jobId}-`) ? operationId.slice(jobId.length + 1) : operationId;
}

/** The days a plan covers on which the workshop opens or work is planned. */
export function planDays(workshop, plan, zone) {
  if (!plan) return [zone.today()];
  const first = zone.day(plan.horizon_start);
  const last = zone.day(plan.horizon_end);
  const busy = new Set(plan.operations.flatMap((a) => [zone.day(a.start), zone.day(a.end)]));
  const days = [];
  for (let day = first; day <= last && days.length < 21; day = addDays(day, 1)) {
    if (openingWindows(workshop, day).length || busy.has(day)) days.push(day);
  }
  return days.length ? days : [first];
}

export function openingWindows(workshop, day) {
  if (workshop.closed_days.includes(day)) return [];
  return (workshop.opening_hours[weekday(day)] || []).map((w) => [clockMinutes(w.start), clockMinutes(w.end)]);
}

/** Working windows of a technician on a local day, breaks cut out: [[start, end], …] in minutes. */
export function shiftWindows(workshop, technician, day) {
  if (workshop.closed_days.includes(day)) return { windows: [], breaks: [] };
  const shifts = (technician.shifts || []).filter((s) => s.days.includes(weekday(day)));
  const spans = technician.shifts && technician.shifts.length
    ? shifts.map((s) => ({ window: s.window, breaks: s.breaks || [] }))
    : (workshop.opening_hours[weekday(day)] || []).map((w) => ({ window: w, breaks: workshop.default_breaks }));
  const windows = [];
  const breaks = [];
  for (const span of spans) {
    let pieces = [[clockMinutes(span.window.start), clockMinutes(span.window.end)]];
    for (const b of span.breaks) {
      const [bs, be] = [clockMinutes(b.start), clockMinutes(b.end)];
      breaks.push([bs, be]);
      pieces = pieces.flatMap(([s, e]) => (be <= s || bs >= e ? [[s, e]] : [[s, bs], [be, e]].filter(([x, y]) => y > x)));
    }
    windows.push(...pieces);
  }
  return { windows, breaks };
}

/** Parts of a window of instants that fall on `day`, as minutes [start, end] (clipped to the day). */
export function onDay(zone, day, start, end) {
  const from = zone.local(start);
  const to = zone.local(end);
  if (to.day < day || from.day > day) return null;
  const s = from.day < day ? 0 : from.minutes;
  const e = to.day > day ? 24 * 60 : to.minutes;
  return e > s ? [s, e] : null;
}

/** The visible span of a day: opening hours and shifts (with the overtime allowance) and the work of the day. */
export function dayRange(workshop, day, spans) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const [s, e] of openingWindows(workshop, day)) {
    lo = Math.min(lo, s);
    hi = Math.max(hi, e);
  }
  const overtime = workshop.settings.overtime_max_minutes_per_day ?? 60;
  for (const technician of workshop.technicians) {
    for (const [s, e] of shiftWindows(workshop, technician, day).windows) {
      lo = Math.min(lo, s);
      hi = Math.max(hi, e + overtime);
    }
  }
  for (const [s, e] of spans) {
    lo = Math.min(lo, s);
    hi = Math.max(hi, e);
  }
  if (!Number.isFinite(lo)) [lo, hi] = [8 * 60, 18 * 60];
  lo = Math.max(0, Math.floor(lo / 60) * 60);
  hi = Math.min(24 * 60, Math.ceil(hi / 60) * 60);
  if (hi - lo < 4 * 60) hi = Math.min(24 * 60, lo + 4 * 60);
  return [lo, hi];
}

/**
 * Which operations wait for parts: stock on hand goes to the operations in the order the plan starts
 * them; an operation whose parts come from a delivery still on its way waits for that delivery.
 * Answers operation key → {part_number, eta} of the latest delivery it waits for.
 */
export function partsWaits(plan, jobs, parts, now) {
  const waits = new Map();
  if (!plan || !parts) return waits;
  const onHand = new Map((parts.stock || []).map((s) => [s.part_number, s.on_hand]));
  const inbound = new Map();
  for (const delivery of [...(parts.deliveries || [])].sort((a, b) => a.eta.localeCompare(b.eta))) {
    if (!inbound.has(delivery.part_number)) inbound.set(delivery.part_number, []);
    inbound.get(delivery.part_number).push({ eta: delivery.eta, left: delivery.quantity });
  }
  const nowTime = new Date(now).getTime();
  const ordered = [...plan.operations].sort((a, b) => a.start.localeCompare(b.start));
  for (const assignment of ordered) {
    const operation = jobs.get(assignment.job_id)?.operations.find((o) => o.id === assignment.operation_id);
    for (const line of operation?.parts || []) {
      if (!onHand.has(line.part_number) && !inbound.has(line.part_number)) continue; // not tracked: always there
      let needed = line.quantity || 1;
      const stock = onHand.get(line.part_number) || 0;
      const taken = Math.min(stock, needed);
      onHand.set(line.part_number, stock - taken);
      needed -= taken;
      for (const delivery of inbound.get(line.part_number) || []) {
        if (needed <= 0) break;
        const used = Math.min(delivery.left, needed);
        if (!used) continue;
        delivery.left -= used;
        needed -= used;
        if (new Date(delivery.eta).getTime() > nowTime) {
          const key = opKey(assignment);
          const known = waits.get(key);
          if (!known || known.eta < delivery.eta) waits.set(key, { part_number: line.part_number, eta: delivery.eta });
        }
      }
      if (needed > 0 && !assignment.started) {
        waits.set(opKey(assignment), { part_number: line.part_number, eta: null });
      }
    }
  }
  return waits;
}

export function opKey(a) {
  return `${a.job_id}\u0000${a.operation_id}`;
}

/**
 * Everything drawn on the timeline for the shown plan: planned operations with their state, done
 * operations (from the jobs' progress), and supplemental work waiting for the customer's approval.
 */
export function timelineItems(model) {
  const { plan, jobs, workshop, waits } = model;
  const items = [];
  if (!plan) return items;
  const byJob = new Map();
  for (const a of plan.operations) {
    const job = jobs.get(a.job_id);
    const operation = job?.operations.find((o) => o.id === a.operation_id);
    let state = "planned";
    if (a.started) state = "started";
    else if (waits.has(opKey(a))) state = "parts";
    else if (a.pinned) state = "pinned";
    let pieces = a.pieces && a.pieces.length ? a.pieces : [{ start: a.start, end: a.end }];
    const start = a.start;
    // Started work begins when it started; its pieces are what is left from now on. The bar shows both.
    const done = a.started ? new Date(pieces[0].start) - new Date(a.start) : 0;
    if (done > 0 && done < 12 * 3600_000) pieces = [{ start: a.start, end: pieces[0].start, past: true }, ...pieces];
    const item = {
      kind: "op",
      key: opKey(a),
      job_id: a.job_id,
      operation_id: a.operation_id,
      text: operation?.text || operation?.labour_code || a.operation_id,
      technician_id: a.technician_id,
      bay_id: a.bay_id,
      lift_id: a.lift_id,
      equipment: a.equipment || [],
      start,
      end: a.end,
      pieces,
      state,
      pinned: a.pinned,
      overtime: a.overtime_minutes,
      wait: waits.get(opKey(a)) || null,
    };
    items.push(item);
    if (!byJob.has(a.job_id) || byJob.get(a.job_id).end < a.end) byJob.set(a.job_id, item);
  }
  const planned = new Set(plan.operations.map(opKey));
  for (const job of jobs.values()) {
    for (const operation of job.operations) {
      if (planned.has(opKey({ job_id: job.id, operation_id: operation.id }))) continue;
      if (operation.status === "done" && operation.progress?.started_at) {
        const technician = workshop.technicians.find((t) => t.id === operation.progress.technician_id);
        const minutes = workMinutes(operation, technician, workshop);
        const start = operation.progress.started_at;
        const end = new Date(new Date(start).getTime() + minutes * 60000).toISOString();
        items.push({
          kind: "done",
          key: opKey({ job_id: job.id, operation_id: operation.id }),
          job_id: job.id,
          operation_id: operation.id,
          text: operation.text || operation.labour_code || operation.id,
          technician_id: operation.progress.technician_id,
          bay_id: operation.progress.bay_id,
          lift_id: operation.progress.lift_id,
          equipment: [],
          start,
          end,
          pieces: [{ start, end }],
          state: "done",
          pinned: false,
          overtime: 0,
          approximate: true,
        });
      } else if (operation.approval === "pending" && operation.status !== "done") {
        const after = byJob.get(job.id);
        if (!after) continue;
        const start = after.end;
        const end = new Date(new Date(start).getTime() + operation.standard_minutes * 60000).toISOString();
        items.push({
          kind: "supplemental",
          key: opKey({ job_id: job.id, operation_id: operation.id }),
          job_id: job.id,
          operation_id: operation.id,
          text: operation.text || operation.labour_code || operation.id,
          technician_id: after.technician_id,
          bay_id: after.bay_id,
          lift_id: null,
          equipment: [],
          start,
          end,
          pieces: [{ start, end }],
          state: "supplemental",
          pinned: false,
          overtime: 0,
        });
      }
    }
  }
  return items;
}

function workMinutes(operation, technician, workshop) {
  const grain = workshop.settings.grain_minutes || 5;
  const grade = technician?.skills?.find((g) => g.skill === operation.skill);
  const efficiency = grade?.efficiency || technician?.efficiency || 1;
  return Math.ceil(operation.standard_minutes / efficiency / grain) * grain;
}

/** The rows of a view: [{id, label, sub, match(item) → bool, shading(day) → [...]}] */
export function viewRows(view, model, day) {
  const { workshop, zone } = model;
  const outages = (list) =>
    (list || [])
      .map((w) => ({ span: onDay(zone, day, w.start, w.end), title: w.reason || "out of service" }))
      .filter((x) => x.span);
  const opening = openingWindows(workshop, day);
  const closedAround = (windows) => complement(windows).map((span) => ({ span, kind: "off", title: "closed" }));
  const commonBreaks = workshop.default_breaks.map((b) => ({
    span: [clockMinutes(b.start), clockMinutes(b.end)],
    kind: "break",
    title: "break",
  }));
  if (view === "technicians") {
    const overtime = workshop.settings.overtime_max_minutes_per_day ?? 60;
    const rows = [...workshop.technicians]
      .sort((a, b) => Number(!a.team) - Number(!b.team) || (a.team || "").localeCompare(b.team || "") || a.id.localeCompare(b.id))
      .map((t) => {
        const { windows, breaks } = shiftWindows(workshop, t, day);
        const lastEnd = windows.length ? Math.max(...windows.map((w) => w[1])) : null;
        return {
          id: t.id,
          label: t.name || t.id,
          sub: [t.id, t.team, (t.skills || []).map((s) => s.skill.replaceAll("_", " ")).slice(0, 2).join(", ")]
            .filter(Boolean)
            .join(" · "),
          team: t.team || "",
          capacity: windows.reduce((sum, [s, e]) => sum + e - s, 0),
          match: (item) => item.technician_id === t.id,
          shading: [
            ...complement(windows).map((span) => ({ span, kind: "off", title: "off shift" })),
            ...breaks.map((span) => ({ span, kind: "break", title: "break" })),
            ...(lastEnd !== null && overtime
              ? [{ span: [lastEnd, lastEnd + overtime], kind: "overtime-zone", title: `overtime allowance (${overtime} min)` }]
              : []),
            ...outages(t.absences).map((x) => ({ ...x, kind: "absent", title: `absent: ${x.title}` })),
          ],
        };
      });
    rows.push({
      id: "__unattended",
      label: "Unattended",
      sub: "curing, processes without a technician",
      optional: true,
      match: (item) => !item.technician_id,
      shading: closedAround(opening),
    });
    return rows;
  }
  if (view === "bays") {
    const rows = workshop.bays.map((b) => ({
      id: b.id,
      label: b.name || b.id,
      sub: [b.id, (b.capabilities || ["general"]).join(", ")].join(" · "),
      match: (item) => item.bay_id === b.id,
      shading: [
        ...closedAround(opening),
        ...commonBreaks,
        ...outages(b.out_of_service).map((x) => ({ ...x, kind: "outage", title: `out of service: ${x.title}` })),
      ],
    }));
    rows.push({
      id: "__nobay",
      label: "No bay",
      sub: "checks, road tests",
      optional: true,
      match: (item) => !item.bay_id,
      shading: closedAround(opening),
    });
    return rows;
  }
  const bayName = new Map(workshop.bays.map((b) => [b.id, b.name || b.id]));
  const rows = workshop.lifts.map((l) => ({
    id: l.id,
    label: l.id,
    sub: [l.type.replaceAll("_", " "), l.bay_id ? bayName.get(l.bay_id) || l.bay_id : "mobile", `${l.load_limit_kg} kg`].join(" · "),
    match: (item) => item.lift_id === l.id,
    shading: [
      ...closedAround(opening),
      ...outages(l.out_of_service).map((x) => ({ ...x, kind: "outage", title: `out of service: ${x.title}` })),
    ],
  }));
  for (const pool of workshop.equipment) {
    for (let unit = 1; unit <= pool.count; unit++) {
      rows.push({
        id: `${pool.id}#${unit}`,
        label: `${pool.name || pool.id}${pool.count > 1 ? ` ${unit}` : ""}`,
        sub: `${pool.id} · unit ${unit} of ${pool.count}`,
        group: "equipment",
        match: (item) => item.equipment.some((e) => e.pool_id === pool.id && e.unit === unit),
        shading: [
          ...closedAround(opening),
          ...(pool.out_of_service || [])
            .filter((w) => unit <= (w.units || 1))
            .map((w) => ({ span: onDay(zone, day, w.start, w.end), kind: "outage", title: `out of service: ${w.reason || ""}` }))
            .filter((x) => x.span),
        ],
      });
    }
  }
  return rows;
}

function complement(windows) {
  const sorted = [...windows].sort((a, b) => a[0] - b[0]);
  const gaps = [];
  let at = 0;
  for (const [s, e] of sorted) {
    if (s > at) gaps.push([at, s]);
    at = Math.max(at, e);
  }
  if (at < 24 * 60) gaps.push([at, 24 * 60]);
  return gaps;
}

/** Lanes so that overlapping items of one row stack: item → lane index; answers the lane count. */
export function assignLanes(entries) {
  const ends = [];
  for (const entry of [...entries].sort((a, b) => a.span[0] - b.span[0])) {
    let lane = ends.findIndex((end) => end <= entry.span[0] + 0.01);
    if (lane < 0) {
      lane = ends.length;
      ends.push(0);
    }
    ends[lane] = entry.span[1];
    entry.lane = lane;
  }
  return Math.max(1, ends.length);
}

/** Late first (most late first), then at risk (least slack first). */
export function troubleJobs(plan) {
  if (!plan) return [];
  return plan.jobs
    .filter((j) => j.late || j.at_risk)
    .sort((a, b) => Number(b.late) - Number(a.late) || (a.slack_minutes ?? -1e9) - (b.slack_minutes ?? -1e9));
}

/** The reasons worth reading first: the headline ("late by …") is shown apart. */
export function explanation(forecast) {
  const reasons = forecast.reasons || [];
  const headline = reasons.find((r) => /^(late by|only \d|no completion)/.test(r)) || null;
  return { headline, rest: reasons.filter((r) => r !== headline) };
}
