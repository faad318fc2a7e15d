// The status page: polls /api/status (this device, same origin) and redraws. No framework, no
// build step, no CDN; text goes in with textContent only, so nothing in a status can become markup.
"use strict";

const POLL_MS = 2000;
let previous = null;          // the last status, for the publish rate
let lastOk = 0;

const $ = (id) => document.getElementById(id);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function ago(ms, now) {
  if (!ms || ms <= 0) return "never";
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 90) return s + " s ago";
  if (s < 5400) return Math.round(s / 60) + " min ago";
  if (s < 172800) return Math.round(s / 3600) + " h ago";
  return Math.round(s / 86400) + " days ago";
}

function when(ms) {
  return ms > 0 ? new Date(ms).toLocaleString() : "–";
}

// "12345.6 Wh" → "12.346 kWh": units a person reads at a glance (SenML units in the JSON)
function plain(value) {
  const i = value.indexOf(" ");
  if (i < 0) return value;
  const n = Number(value.slice(0, i));
  const unit = value.slice(i + 1);
  if (!isFinite(n)) return value;
  const fmt = (x, d) => x.toLocaleString(undefined, { maximumFractionDigits: d, minimumFractionDigits: 0 });
  switch (unit) {
    case "Wh": return Math.abs(n) >= 1000 ? fmt(n / 1000, 3) + " kWh" : fmt(n, 1) + " Wh";
    case "W": return Math.abs(n) >= 1000 ? fmt(n / 1000, 2) + " kW" : fmt(n, 1) + " W";
    case "varh": return Math.abs(n) >= 1000 ? fmt(n / 1000, 3) + " kvarh" : fmt(n, 1) + " varh";
    case "Cel": return fmt(n, 1) + " °C";
    case "m3": return fmt(n, 3) + " m³";
    case "m3/s": return fmt(n * 3600, 3) + " m³/h";
    case "%EL": case "%RH": return fmt(n, 1) + " %";
    default: return fmt(n, 3) + " " + unit;
  }
}

function bytes(n) {
  if (n < 0) return "unknown";
  const u = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return n.toFixed(i ? 1 : 0) + " " + u[i];
}

function meterCard(m, now) {
  const failing = m.consecutiveFailures > 0;
  const card = el("article", "card" + (failing ? " failing" : (m.quality & 32 ? " held" : "")));
  card.dataset.meter = m.id;
  card.appendChild(el("h3", null, m.id));
  card.appendChild(el("div", "quality", failing ? "not answering (" + m.qualityText + ")" : m.qualityText));
  const values = el("dl", "values");
  for (const code of Object.keys(m.values)) {
    const name = (m.names && m.names[code]) || code;
    values.appendChild(el("dt", null, name));
    const dd = el("dd", null, plain(m.values[code]));
    dd.dataset.obis = code;
    values.appendChild(dd);
  }
  card.appendChild(values);
  if (Object.keys(m.values).length === 0) card.appendChild(el("p", "sub", "no values"));
  card.appendChild(el("p", "sub", "last good read " + ago(m.lastGood, now) + " · " + m.reads + " reads, " + m.failures + " failed"));
  if (failing || m.lastError) {
    const p = el("p", "problem", (m.lastError || "no answer") + (failing ? " — " + m.consecutiveFailures + " failed in a row" : ""));
    card.appendChild(p);
  }
  if (m.backoffUntil > now) {
    card.appendChild(el("p", "problem backoff", "backing off: next try in " + Math.ceil((m.backoffUntil - now) / 1000) + " s"));
  }
  return card;
}

function render(s) {
  const now = s.time;
  document.title = s.device + " · eiedge";
  $("device").textContent = s.device;
  $("device-line").textContent = s.role + " in subnet " + s.subnet + " · " + s.state;
  $("fingerprint").textContent = s.identity.keyFingerprint;

  const banner = $("banner");
  banner.replaceChildren();
  if (s.problems.length > 0) {
    banner.className = "banner";
    banner.appendChild(el("div", null, s.problems.length === 1 ? "Something is wrong:" : s.problems.length + " things are wrong:"));
    const ul = el("ul");
    s.problems.forEach((p) => ul.appendChild(el("li", null, p)));
    banner.appendChild(ul);
  } else {
    banner.className = "banner ok";
    banner.textContent = "All well: every meter answers, the broker is connected, storage works.";
  }

  $("meters").replaceChildren(...s.meters.map((m) => meterCard(m, now)));
  if (s.meters.length === 0) $("meters").appendChild(el("p", "sub", "This device reads no meters."));

  $("chain-seq").textContent = s.seq;
  $("chain-height").textContent = s.height;
  $("chain-head").textContent = s.head;
  $("chain-seal").textContent = ago(s.lastSeal, now) + " (" + when(s.lastSeal) + ")";
  $("chain-unsealed").textContent = s.unsealed + " readings";

  const broker = $("broker");
  broker.className = s.mqtt.connected ? "good" : "bad";
  broker.textContent = s.mqtt.connected ? "connected (session " + s.mqtt.session + ")"
    : "NOT connected" + (s.mqtt.lastFailure ? ": " + s.mqtt.lastFailure : "");
  $("outbox-depth").textContent = s.outbox.depth + " readings";
  $("outbox-published").textContent = s.outbox.published + " messages (up to seq " + s.outbox.publishedSeq + ")";
  if (previous && s.time > previous.time) {
    const rate = (s.outbox.published - previous.outbox.published) * 1000 / (s.time - previous.time);
    $("outbox-rate").textContent = rate.toFixed(1) + " messages/s";
  }
  $("outbox-skipped").textContent = s.outbox.skippedByCap;

  const tbody = $("peers");
  tbody.replaceChildren();
  for (const p of s.peers) {
    const tr = el("tr");
    tr.dataset.peer = p.id;
    tr.appendChild(el("td", null, p.id));
    tr.appendChild(el("td", null, p.verifiedHeight < 0 ? "none yet" : p.verifiedHeight));
    tr.appendChild(el("td", null, p.lag < 0 ? "–" : Math.round(p.lag / 1000) + " s"));
    tr.appendChild(el("td", ["frozen", "revoked", "unreachable"].includes(p.state) ? "bad" : null, p.state));
    tr.appendChild(el("td", p.lastProblem ? "problem" : null, p.lastProblem || "–"));
    tbody.appendChild(tr);
  }
  $("no-peers").className = s.peers.length ? "sub hidden" : "sub";
  tbody.parentElement.className = s.peers.length ? "peers" : "peers hidden";

  const storage = $("storage");
  storage.className = s.storage.problem ? "bad" : "good";
  storage.textContent = s.storage.problem ? "FAILING: " + s.storage.problem : "writes work";
  $("storage-free").textContent = bytes(s.storage.usableBytes) + " of " + bytes(s.storage.totalBytes);
  const days = s.identity.certDaysLeft;
  const cert = $("cert");
  cert.className = days < 30 ? "bad" : "";
  cert.textContent = (days < 0 ? "EXPIRED " + (-days) + " days ago" : "expires in " + days + " days") + " (" + when(s.identity.certNotAfter) + ")";
  const crl = $("crl");
  crl.className = s.identity.crlNextUpdate > 0 && s.identity.crlNextUpdate < now ? "bad" : "";
  crl.textContent = s.identity.crlIssued < 0 ? "none held" : "issued " + ago(s.identity.crlIssued, now)
    + (s.identity.crlNextUpdate > 0 ? ", next update " + when(s.identity.crlNextUpdate) : "");
  const refused = Object.entries(s.refused).filter(([, n]) => n > 0).map(([k, n]) => k + " " + n);
  $("refused").textContent = refused.length ? refused.join(", ") : "none";

  const alerts = $("alerts");
  alerts.replaceChildren(...s.alerts.map((a) => el("li", null, ago(a.time, now) + ": " + a.text)));
  $("no-alerts").className = s.alerts.length ? "sub hidden" : "sub";
  alerts.className = s.alerts.length ? "alerts" : "alerts hidden";
  previous = s;
}

async function poll() {
  try {
    const r = await fetch("/api/status", { cache: "no-store" });
    if (!r.ok) throw new Error("HTTP " + r.status);
    const s = await r.json();
    render(s);
    lastOk = Date.now();
    $("updated").textContent = "updated " + new Date(s.time).toLocaleTimeString() + " · refreshes every " + POLL_MS / 1000 + " s";
  } catch (e) {
    const banner = $("banner");
    banner.className = "banner";
    banner.textContent = "Cannot reach the device (" + e.message + ")" + (lastOk ? "; last update " + ago(lastOk, Date.now()) : "");
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

poll();
