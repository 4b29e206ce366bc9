// The side drawer: a job (operations, parts, reasons, times, what the last re-plan changed, pins)
// and the list of what the last re-plan changed.

import { api, clock, describeError, duration, h, toast } from "./common.js";

const append = (element, ...children) => element.append(...children.filter((c) => c !== null && c !== undefined));
import { STATES, explanation, opKey, shortOperation } from "./board-model.js";

/** ctx: {workshop, zone, plan, jobs, items, waits, parts, days, day, workshopId, onSelect, onClose, onChanged, draft} */
export async function renderJob(drawer, ctx, jobId, focusOperation) {
  const { zone, plan, workshop } = ctx;
  let job = ctx.jobs.get(jobId);
  if (!job) {
    try {
      job = await api(`/v1/workshops/${encodeURIComponent(ctx.workshopId)}/jobs/${encodeURIComponent(jobId)}`);
    } catch (error) {
      drawerShell(drawer, ctx, h("h2", jobId), h("p.error-text", describeError(error)));
      return;
    }
  }
  const forecast = plan?.jobs.find((j) => j.job_id === jobId) || null;
  const status = forecast?.late ? "late" : forecast?.at_risk ? "risk" : forecast ? "ok" : null;
  const badges = [
    status === "late" ? h("span.badge.late", `Late ${duration(-(forecast.slack_minutes || 0))}`) : null,
    status === "risk" ? h("span.badge.risk", "At risk") : null,
    status === "ok" ? h("span.badge.ok", "On time") : null,
    h("span.badge.neutral", job.status.replaceAll("_", " ")),
    job.customer_waiting ? h("span.badge.info", "Customer waiting") : h("span.badge.neutral", "Drop-off"),
    job.priority && job.priority !== "normal" ? h("span.badge.info", job.priority) : null,
    job.comeback ? h("span.badge.late", "Comeback") : null,
  ];
  const vehicle = [job.vehicle?.model, job.vehicle?.vin, job.customer_name].filter(Boolean).join(" · ");
  const when = (moment) => zone.timeOn(moment, ctx.day);
  const arrival = job.arrived_at
    ? ["Arrived", when(job.arrived_at)]
    : job.appointment_at
      ? ["Appointment", when(job.appointment_at)]
      : ["Arrival", "walk-in"];
  const times = h(
    "dl.times",
    fact(...arrival),
    fact("Promised", job.promised_at ? when(job.promised_at) : "none"),
    fact(
      "Predicted",
      forecast?.completion ? when(forecast.completion) : "not planned",
      forecast?.slack_minutes !== null && forecast?.slack_minutes !== undefined
        ? forecast.slack_minutes < 0
          ? `${duration(forecast.slack_minutes)} late`
          : `${duration(forecast.slack_minutes)} slack`
        : null
    ),
    fact("Call customer", forecast?.call_customer_at ? when(forecast.call_customer_at) : "—"),
    fact("Progress check", forecast?.progress_check_at ? when(forecast.progress_check_at) : "—")
  );
  const { headline, rest } = forecast ? explanation(forecast) : { headline: null, rest: [] };
  const reasons = h(
    "section.reasons",
    h("h3", "Why it finishes then"),
    headline ? h("p.headline", { class: status || "" }, headline) : null,
    rest.length ? h("ul", rest.map((r) => h("li", r))) : h("p.muted", forecast ? "Nothing holds this job up." : "This job is not in the plan.")
  );
  const changes = jobChanges(ctx, jobId);
  const operations = h(
    "section.operations",
    h("h3", "Operations"),
    job.operations.map((operation) => operationCard(ctx, job, operation, operation.id === focusOperation))
  );
  drawerShell(
    drawer,
    ctx,
    h("div.drawer-title", h("h2", jobId), h("div.badges", badges)),
    vehicle ? h("p.vehicle", vehicle) : null,
    times,
    reasons,
    changes,
    operations
  );
  drawer.dataset.job = jobId;
  if (focusOperation) {
    const card = drawer.querySelector(`.op-card[data-op="${CSS.escape(focusOperation)}"]`);
    card?.scrollIntoView({ block: "nearest" });
  }
}

function drawerShell(drawer, ctx, ...content) {
  drawer.hidden = false;
  drawer.replaceChildren(
    h("button.drawer-close", { type: "button", "aria-label": "Close", title: "Close (Esc)", onclick: () => ctx.onClose() }, "×"),
    h("div.drawer-body", content)
  );
  delete drawer.dataset.job;
  delete drawer.dataset.view;
}

function fact(label, value, note) {
  return h("div.fact", h("dt", label), h("dd", value, note ? h("span.note", note) : null));
}

function jobChanges(ctx, jobId) {
  const changes = ctx.plan?.changes;
  const section = h("section.changes", h("h3", "Last re-plan"));
  if (!changes) {
    section.append(h("p.muted", ctx.plan ? "This plan carries no comparison with an earlier published plan." : "—"));
    return section;
  }
  const moves = changes.moved.filter((m) => m.job_id === jobId);
  const completion = changes.completions.find((c) => c.job_id === jobId);
  const newRisk = changes.new_at_risk.includes(jobId);
  if (!moves.length && !completion && !newRisk) {
    section.append(h("p.muted", "Nothing changed for this job."));
    return section;
  }
  const items = [];
  if (newRisk) items.push(h("li.risk", "Newly late or at risk in this plan."));
  if (completion) items.push(h("li", completionText(ctx, completion)));
  for (const move of moves) items.push(h("li", moveText(ctx, move)));
  section.append(h("ul", items));
  return section;
}

export function completionText(ctx, c) {
  const { zone, day } = ctx;
  if (c.delta_minutes === null || c.delta_minutes === undefined) {
    return `Completion ${c.before ? zone.timeOn(c.before, day) : "none"} → ${c.after ? zone.timeOn(c.after, day) : "none"}`;
  }
  const direction = c.delta_minutes > 0 ? "later" : "earlier";
  return `Completion ${zone.timeOn(c.before, day)} → ${zone.timeOn(c.after, day)} (${duration(c.delta_minutes)} ${direction})`;
}

export function moveText(ctx, m) {
  const { zone, day } = ctx;
  const name = (id) => (id ? ctx.workshop.technicians.find((t) => t.id === id)?.name || id : "—");
  const bay = (id) => (id ? ctx.workshop.bays.find((b) => b.id === id)?.name || id : "no bay");
  const parts = [];
  if (m.from_technician_id !== m.to_technician_id) parts.push(`${name(m.from_technician_id)} → ${name(m.to_technician_id)}`);
  if (m.from_bay_id !== m.to_bay_id) parts.push(`${bay(m.from_bay_id)} → ${bay(m.to_bay_id)}`);
  if (m.to_start === null) parts.push("no longer planned");
  else if (m.from_start !== m.to_start) parts.push(`${zone.timeOn(m.from_start, day)} → ${zone.timeOn(m.to_start, day)}`);
  return `${shortOperation(m.job_id, m.operation_id)}: ${parts.join(", ") || "moved"}`;
}

function operationCard(ctx, job, operation, focused) {
  const { zone, day, plan } = ctx;
  const assignment = plan?.operations.find((a) => a.job_id === job.id && a.operation_id === operation.id) || null;
  const item = ctx.items.find((i) => i.key === opKey({ job_id: job.id, operation_id: operation.id }));
  const state = operation.status === "done" ? "done" : item?.state || (operation.approval === "pending" ? "supplemental" : null);
  const technician = (id) => ctx.workshop.technicians.find((t) => t.id === id)?.name || id;
  const bay = (id) => ctx.workshop.bays.find((b) => b.id === id)?.name || id;
  const where = assignment
    ? [
        assignment.technician_id ? technician(assignment.technician_id) : "no technician",
        assignment.bay_id ? bay(assignment.bay_id) : "no bay",
        assignment.lift_id,
        ...(assignment.equipment || []).map((e) => `${e.pool_id} ${e.unit}`),
      ]
        .filter(Boolean)
        .join(" · ")
    : null;
  const span = assignment ? `${zone.timeOn(assignment.start, day)}–${zone.timeOn(assignment.end, day)}` : null;
  const unplanned = plan?.unplanned.find((u) => u.job_id === job.id && u.operation_id === operation.id);
  const needs = [
    operation.labour_code,
    `${operation.standard_minutes} min`,
    operation.skill ? `${operation.skill.replaceAll("_", " ")} ≥ ${operation.min_level}` : "unattended",
    operation.certification ? `cert. ${operation.certification}` : null,
    operation.bay_capability ? `${operation.bay_capability.replaceAll("_", " ")} bay` : null,
    operation.lift_type ? `${operation.lift_type.replaceAll("_", " ")} lift` : null,
    ...(operation.equipment || []),
  ].filter(Boolean);
  const card = h(
    "div.op-card",
    { dataset: { op: operation.id, state: state || "" }, class: focused ? "focused" : "" },
    h(
      "div.op-head",
      h("span.op-id", shortOperation(job.id, operation.id)),
      h("span.op-text", operation.text || operation.labour_code || operation.id),
      state ? h(`span.badge.state-${state}`, STATES[state]) : null,
      operation.pin ? h("span.badge.state-pinned", "Pinned") : null
    ),
    where ? h("div.op-where", h("b", span), " ", where, assignment.overtime_minutes ? h("span.note", ` · ${assignment.overtime_minutes} min overtime`) : null) : null,
    unplanned ? h("div.op-where.error-text", `Not planned: ${unplanned.reason}`) : null,
    operation.approval === "pending" ? h("div.op-where.muted", "Supplemental work: waits for the customer's approval (not planned).") : null,
    operation.status === "done" ? h("div.op-where.muted", "Done.") : null,
    h("div.op-needs", needs.join(" · ")),
    partsList(ctx, job, operation)
  );
  if (operation.status !== "done" && operation.approval !== "pending" && operation.approval !== "declined" && operation.approval !== "deferred" && !ctx.draft) {
    card.append(pinControls(ctx, job, operation, assignment));
  }
  return card;
}

function partsList(ctx, job, operation) {
  if (!operation.parts?.length) return null;
  const { zone, day } = ctx;
  const wait = ctx.waits.get(opKey({ job_id: job.id, operation_id: operation.id }));
  const stock = new Map((ctx.parts?.stock || []).map((s) => [s.part_number, s.on_hand]));
  const inbound = new Map();
  for (const d of ctx.parts?.deliveries || []) if (!inbound.has(d.part_number)) inbound.set(d.part_number, d);
  return h(
    "ul.parts",
    operation.parts.map((line) => {
      let status;
      let kind = "ok";
      if (wait && wait.part_number === line.part_number) {
        status = wait.eta ? `waiting, due ${zone.timeOn(wait.eta, day)}` : "missing, not on order";
        kind = "wait";
      } else if (stock.has(line.part_number) || inbound.has(line.part_number)) {
        status = `${stock.get(line.part_number) ?? 0} on hand${inbound.has(line.part_number) ? `, more due ${zone.timeOn(inbound.get(line.part_number).eta, day)}` : ""}`;
      } else {
        status = "not tracked (always available)";
        kind = "muted";
      }
      return h("li", { class: kind }, h("span.part-number", line.part_number), ` × ${line.quantity || 1}`, h("span.part-status", status));
    })
  );
}

function pinControls(ctx, job, operation, assignment) {
  const wrap = h("div.pin-controls");
  const { zone } = ctx;
  const openForm = () => {
    const qualified = (t) => {
      if (!operation.skill) return false;
      const grade = (t.skills || []).find((g) => g.skill === operation.skill);
      return grade && grade.level >= (operation.min_level || 1) && (!operation.certification || (t.certifications || []).includes(operation.certification));
    };
    const current = operation.pin || {};
    const techId = current.technician_id || assignment?.technician_id || "";
    const bayId = current.bay_id || assignment?.bay_id || "";
    const start = current.start || assignment?.start || null;
    const startLocal = start ? zone.local(start) : null;
    const technicians = h(
      "select",
      { name: "technician", "aria-label": "Technician" },
      h("option", { value: "" }, "— any technician —"),
      operation.skill
        ? [
            h("optgroup", { label: "Qualified" }, ctx.workshop.technicians.filter(qualified).map((t) => h("option", { value: t.id, selected: t.id === techId }, `${t.name || t.id} (${t.id})`))),
            h(
              "optgroup",
              { label: "Not qualified" },
              ctx.workshop.technicians.filter((t) => !qualified(t)).map((t) => h("option", { value: t.id, disabled: true }, `${t.name || t.id} (${t.id})`))
            ),
          ]
        : null
    );
    const suitable = (b) => operation.bay_capability && (b.capabilities || ["general"]).includes(operation.bay_capability);
    const bays = h(
      "select",
      { name: "bay", "aria-label": "Bay" },
      h("option", { value: "" }, operation.bay_capability ? "— any bay —" : "— no bay —"),
      operation.bay_capability
        ? ctx.workshop.bays.map((b) => h("option", { value: b.id, disabled: !suitable(b), selected: b.id === bayId }, `${b.name || b.id}${suitable(b) ? "" : " (unsuitable)"}`))
        : null
    );
    const dayChoice = h(
      "select",
      { name: "day", "aria-label": "Day" },
      ctx.days.map((d) => h("option", { value: d, selected: d === (startLocal?.day || ctx.day) }, zone.labelOf(d)))
    );
    const time = h("input", {
      name: "time",
      type: "time",
      step: 300,
      "aria-label": "Start time",
      value: startLocal ? clock(Math.round(startLocal.minutes / 5) * 5) : "",
    });
    const form = h(
      "form.pin-form",
      {
        onsubmit: async (event) => {
          event.preventDefault();
          const body = {};
          if (technicians.value) body.technician_id = technicians.value;
          if (bays.value) body.bay_id = bays.value;
          if (time.value) {
            const [hh, mm] = time.value.split(":").map(Number);
            body.start = zone.iso(dayChoice.value, hh * 60 + mm);
          }
          if (!Object.keys(body).length) {
            toast("Choose a technician, a bay or a start time to pin.", "error");
            return;
          }
          submit.disabled = true;
          try {
            await api(pinPath(ctx, job, operation), { method: "PUT", body });
            toast(`Pinned ${job.id} / ${shortOperation(job.id, operation.id)}; re-planning…`, "ok");
            form.remove();
            ctx.onChanged();
          } catch (error) {
            toast(`Pin refused: ${describeError(error)}`, "error");
            submit.disabled = false;
          }
        },
      },
      h("label", h("span", "Technician"), technicians),
      h("label", h("span", "Bay"), bays),
      h("label", h("span", "Day"), dayChoice),
      h("label", h("span", "Start"), time)
    );
    const submit = h("button.primary", { type: "submit" }, "Pin");
    form.append(h("div.form-actions", submit, h("button", { type: "button", onclick: () => form.remove() }, "Cancel")));
    wrap.querySelector(".pin-form")?.remove();
    wrap.append(form);
    form.scrollIntoView({ block: "nearest", behavior: "smooth" });
    technicians.focus({ preventScroll: true });
  };
  append(
    wrap,
    h("button.small", { type: "button", onclick: openForm, dataset: { action: "pin" } }, operation.pin ? "Change pin…" : "Pin…"),
    operation.pin
      ? h(
          "button.small",
          {
            type: "button",
            dataset: { action: "unpin" },
            onclick: async () => {
              try {
                await api(pinPath(ctx, job, operation), { method: "DELETE" });
                toast(`Unpinned ${job.id} / ${shortOperation(job.id, operation.id)}; re-planning…`, "ok");
                ctx.onChanged();
              } catch (error) {
                toast(`Unpin refused: ${describeError(error)}`, "error");
              }
            },
          },
          "Unpin"
        )
      : null,
    operation.pin ? h("span.pin-summary.muted", pinSummary(ctx, operation.pin)) : null
  );
  return wrap;
}

function pinSummary(ctx, pin) {
  return [
    pin.technician_id && (ctx.workshop.technicians.find((t) => t.id === pin.technician_id)?.name || pin.technician_id),
    pin.bay_id && (ctx.workshop.bays.find((b) => b.id === pin.bay_id)?.name || pin.bay_id),
    pin.start && ctx.zone.timeOn(pin.start, ctx.day),
  ]
    .filter(Boolean)
    .join(" · ");
}

function pinPath(ctx, job, operation) {
  const id = encodeURIComponent;
  return `/v1/workshops/${id(ctx.workshopId)}/jobs/${id(job.id)}/operations/${id(operation.id)}/pin`;
}

/** Everything the shown plan changed against the published plan it started from. */
export function renderChanges(drawer, ctx) {
  const changes = ctx.plan?.changes;
  const content = [h("h2", "What the last re-plan changed")];
  if (!changes) {
    content.push(h("p.muted", "This plan carries no comparison with an earlier published plan."));
  } else {
    content.push(
      h(
        "p",
        `${changes.moved.length} operation${changes.moved.length === 1 ? "" : "s"} moved in ${changes.moved_jobs} job${changes.moved_jobs === 1 ? "" : "s"}; ` +
          `${changes.completions.length} completion${changes.completions.length === 1 ? "" : "s"} changed.`
      )
    );
    if (changes.new_at_risk.length) {
      content.push(h("h3", "Newly late or at risk"), h("div.chips", changes.new_at_risk.map((id) => jobLink(ctx, id))));
    }
    const jobs = [...new Set([...changes.completions.map((c) => c.job_id), ...changes.moved.map((m) => m.job_id)])];
    if (jobs.length) {
      content.push(
        h("h3", "By job"),
        h(
          "ul.change-list",
          jobs.map((id) => {
            const completion = changes.completions.find((c) => c.job_id === id);
            return h(
              "li",
              jobLink(ctx, id),
              completion ? h("div", completionText(ctx, completion)) : null,
              changes.moved.filter((m) => m.job_id === id).map((m) => h("div.muted", moveText(ctx, m)))
            );
          })
        )
      );
    }
  }
  drawerShell(drawer, ctx, ...content);
  drawer.dataset.view = "changes";
}

function jobLink(ctx, id) {
  return h("button.link", { type: "button", onclick: () => ctx.onSelect(id) }, id);
}
