// Polls GET /api/dashboard and renders it. Values from devices are set as text, never as HTML.
"use strict";

const byId = (id) => document.getElementById(id);
let refreshMs = 2000;

function setText(id, value) {
  byId(id).textContent = value;
}

function ms(value) {
  return value.toFixed(value < 10 ? 1 : 0) + " ms";
}

function clock(timeMs) {
  return timeMs > 0 ? new Date(timeMs).toISOString().substring(11, 19) : "never";
}

function ago(nowMs, timeMs) {
  if (!timeMs) return "never";
  const seconds = Math.max(0, Math.round((nowMs - timeMs) / 1000));
  return seconds < 120 ? seconds + " s ago" : Math.round(seconds / 60) + " min ago";
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function renderList(id, items, empty, describe) {
  const list = byId(id);
  list.replaceChildren();
  if (items.length === 0) {
    list.append(element("li", empty, "quiet"));
    return;
  }
  for (const item of items) {
    const row = element("li", describe(item));
    list.append(row);
  }
}

function renderLatency(latency) {
  setText("latency-window", Math.round(latency.windowSeconds / 60) + " min");
  setText("latency-count", latency.all.count);
  setText("latency-p50", ms(latency.all.p50Ms));
  setText("latency-p95", ms(latency.all.p95Ms));
  setText("latency-p99", ms(latency.all.p99Ms));
  setText("latency-max", ms(latency.all.maxMs));
}

function renderDevices(data) {
  const latencyByDevice = new Map(data.latency.byDevice.map((row) => [row.deviceId, row]));
  const body = byId("devices");
  body.replaceChildren();
  for (const device of data.devices) {
    const row = document.createElement("tr");
    row.dataset.device = device.deviceId;
    const latency = latencyByDevice.get(device.deviceId);
    row.append(
      element("td", device.deviceId + " (" + device.deviceClass + ")"),
      element("td", device.state, "state state-" + device.state),
      element("td", ago(data.generatedAtMs, device.lastSeenMs), "last-seen"),
      element("td", latency ? latency.p50Ms.toFixed(1) + " / " + latency.p99Ms.toFixed(1) : "-", "latency"),
      element("td", device.outboxDepth ?? "-", "outbox"),
      element("td", device.clockOffsetMs ?? "-", "clock"),
      element("td", (device.keyListVersion ?? "-") + " / " + (device.snapshotVersion ?? "-"), "versions"));
    body.append(row);
  }
  const online = data.devices.filter((device) => device.state === "online").length;
  setText("device-summary", online + " online, " + (data.devices.length - online) + " not online");
}

function renderKeys(keys, nowMs) {
  const rotation = keys.rotation;
  setText("key-current", rotation ? rotation.currentKeyId : "not loaded");
  setText("key-age", rotation ? Math.round(rotation.ageSeconds / 60) + " min" : "-");
  setText("key-rotation", rotation ? clock(rotation.signingUntilMs) + " UTC (in " +
    Math.max(0, Math.round((rotation.signingUntilMs - nowMs) / 60000)) + " min)" : "-");
  setText("key-next", rotation ? (rotation.nextKeyId ? "yes, " + rotation.nextKeyId : "no") : "-");
  setText("key-versions", (rotation ? rotation.keyListVersion : "-") + " / " + keys.snapshotVersion);
  setText("key-behind", keys.devicesBehind);
}

function renderForecast(report) {
  const chart = byId("forecast-chart");
  if (!report) {
    chart.replaceChildren();
    return;
  }
  const forecast = report.forecast;
  const peak = forecast.peakStartMs ? clock(forecast.peakStartMs) + " UTC" : "over";
  byId("forecast-summary").textContent =
    "Expected " + Math.round(forecast.expectedTotal) + " guests, " + forecast.arrivedSoFar + " arrived. Peak " +
    peak + ": " + Math.round(forecast.peakArrivals) + " per 5 min, needs " + forecast.lanesAtPeak +
    " lanes for a mean wait under " + Math.round(forecast.targetWaitSeconds) + " s (" + forecast.model +
    ", service time " + forecast.serviceTimeSeconds.toFixed(1) + " s " + forecast.serviceTimeSource + ").";
  byId("forecast-summary").dataset.lanesAtPeak = forecast.lanesAtPeak;
  chart.replaceChildren(forecastSvg(forecast));
}

function forecastSvg(forecast) {
  const ns = "http://www.w3.org/2000/svg";
  const bins = forecast.bins;
  const width = 600, height = 180, pad = 24;
  const maxArrivals = Math.max(1, ...bins.map((bin) => bin.arrivals));
  const maxLanes = Math.max(1, ...bins.map((bin) => bin.lanesNeeded));
  const barWidth = (width - 2 * pad) / Math.max(1, bins.length);
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 " + width + " " + height);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "Arrivals per 5 minutes and lanes needed");
  const add = (tag, attributes, text) => {
    const node = document.createElementNS(ns, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
  const y = (value) => height - pad - (value / maxArrivals) * (height - 2 * pad);
  let points = "";
  bins.forEach((bin, i) => {
    const x = pad + i * barWidth;
    add("rect", { class: "expected", x, y: y(bin.arrivals), width: barWidth * 0.9, height: height - pad - y(bin.arrivals) });
    add("rect", { class: "observed", x, y: y(bin.observed), width: barWidth * 0.9, height: height - pad - y(bin.observed) });
    const laneY = height - pad - (bin.lanesNeeded / maxLanes) * (height - 2 * pad);
    points += (x + barWidth * 0.45) + "," + laneY + " ";
    if (i % 6 === 0) add("text", { x, y: height - 8 }, clock(bin.startMs).substring(0, 5));
  });
  add("polyline", { class: "lanes", points: points.trim() });
  add("text", { x: pad, y: 12 }, "bars: arrivals (dark = seen), line: lanes needed (max " + maxLanes + ")");
  return svg;
}

function render(data) {
  refreshMs = data.refreshIntervalMs;
  setText("venue", data.venue + " / event " + data.eventId);
  setText("updated", clock(data.generatedAtMs) + " UTC");
  renderLatency(data.latency);
  setText("decisions-admitted", data.decisions.admitted);
  setText("decisions-denied", data.decisions.denied);
  setText("decisions-offline", data.decisions.offline);
  setText("disputes-count", data.disputes.count);
  for (const lane of ["payments", "entitlements", "checkIns", "telemetry", "deadLetters"]) {
    setText("queue-" + lane, data.queue[lane]);
  }
  renderKeys(data.keys, data.generatedAtMs);
  renderDevices(data);
  setText("alarm-count", data.alarms.length);
  renderList("alarms", data.alarms, "No alarms",
    (alarm) => alarm.kind.replaceAll("_", " ") + ": " + alarm.deviceId + ", " + alarm.detail + " (since " + clock(alarm.sinceMs) + ")");
  renderList("disputes", data.disputes.items, "None",
    (item) => "entitlement " + item.entitlementId + " admitted " + item.admits + " times by " + item.deviceIds.join(", "));
  renderForecast(data.forecast);
  document.body.dataset.generatedAtMs = data.generatedAtMs;
}

// A 401 means the cookie expired or the operator token was rotated, so the page sends the
// operator to the login form, which returns here afterwards.
function sendToLogin() {
  const currentPath = location.pathname + location.search + location.hash;
  location.assign("/login?returnUrl=" + encodeURIComponent(currentPath));
}

let lastUpdatedMs = 0;
let connectionProblem = null;

// Runs every second, so the age keeps counting while a request hangs or the hub is down.
function showConnection() {
  const badge = byId("connection");
  const banner = byId("disconnected");
  if (connectionProblem === null) {
    badge.textContent = lastUpdatedMs ? "live" : "connecting";
    badge.className = lastUpdatedMs ? "badge live" : "badge";
    banner.hidden = true;
    document.body.classList.remove("stale");
    return;
  }
  const age = lastUpdatedMs ? "last updated " + ago(Date.now(), lastUpdatedMs) : "never updated";
  badge.textContent = "disconnected";
  badge.className = "badge down";
  setText("disconnected-detail", connectionProblem + "; " + age + ". Retrying every " +
    Math.round(refreshMs / 1000) + " s; the numbers below are from then.");
  banner.hidden = false;
  document.body.classList.add("stale");
}

async function refresh() {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.max(5000, 2 * refreshMs));
  try {
    const response = await fetch("/api/dashboard", { cache: "no-store", signal: abort.signal });
    if (response.status === 401) {
      sendToLogin();
      return;
    }
    if (!response.ok) {
      throw new Error("the hub returned HTTP " + response.status);
    }
    render(await response.json());
    lastUpdatedMs = Date.now();
    connectionProblem = null;
  } catch (error) {
    connectionProblem = error.name === "AbortError"
      ? "the request to the hub timed out"
      : "the hub is unreachable (" + error.message + ")";
  } finally {
    clearTimeout(timer);
  }
  showConnection();
  setTimeout(refresh, refreshMs);
}

setInterval(showConnection, 1000);
refresh();
