// rstat plot --html: draws the embedded charts on canvases. Linked time: one cursor on every
// chart with the values at that moment in each legend, a brush on any chart zooms all of
// them, double-click resets. Each chart is decimated per pixel column (lines: the smallest
// and largest value; stacked: the column's peak sample; heatmap: the largest) from the full
// data at every zoom. Hovering a CPU chart lists the busiest processes by CPU of that
// moment, a disk chart the busiest by I/O (the lists the data names per chart).
// A day holds hundreds of series of 86,400 samples: a chart's series are decoded and drawn
// when it first comes near the window (the page is ready once the charts in view are drawn),
// and a zoom redraws the charts in view, the others as they are scrolled to.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("rstat-data").textContent);
  const LEFT = 64, BOTTOM = 22, TOP = 6, LEGEND = 270;

  // LEB128 tokens in base64 (see src/views/html.rs): even, a change from the previous
  // value; odd, a run of repeats or of missing values. Written straight into a typed array
  // of `expected` values (grown if the text holds more).
  function decode(text, decimals, expected) {
    const bytes = atob(text), scale = Math.pow(10, decimals);
    let out = new Float64Array(Math.max(expected || 0, 16)), length = 0;
    const room = (count) => {
      if (length + count <= out.length) return;
      const bigger = new Float64Array(Math.max(out.length * 2, length + count));
      bigger.set(out.subarray(0, length)); out = bigger;
    };
    let previous = 0, n = 0, weight = 1;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes.charCodeAt(i);
      n += (b & 0x7f) * weight;
      if (b & 0x80) { weight *= 128; continue; }
      if (n % 2 === 0) {
        const z = n / 2;
        previous += z % 2 ? -(z + 1) / 2 : z / 2;
        room(1); out[length++] = previous / scale;
      } else {
        const r = (n - 1) / 2, count = Math.floor(r / 2) + 1;
        room(count); out.fill(r % 2 === 1 ? NaN : previous / scale, length, length + count);
        length += count;
      }
      n = 0; weight = 1;
    }
    return length === out.length ? out : out.slice(0, length);
  }

  const steps = decode(data.steps, 0), times = new Float64Array(steps.length + 1);
  times[0] = data.start;
  for (let i = 1; i < times.length; i++) times[i] = times[i - 1] + steps[i - 1];
  const charts = data.charts.map((c) => ({
    ...c,
    series: c.series.map((s) => ({ ...s, encoded: s.values, values: null, hidden: false })),
    loaded: false,
  }));
  // A chart's series decoded, once.
  function load(chart) {
    if (chart.loaded) return;
    for (const s of chart.series) { s.values = decode(s.encoded, s.decimals, times.length); s.encoded = null; }
    chart.loaded = true;
  }
  // Hover lists (busiest by CPU, by I/O): per sample a count, then which processes and
  // each column's figures, flattened in the same order; decoded at the first hover.
  const lists = data.processes.lists.map((list) => ({ rankedBy: list.rankedBy, encoded: list, starts: null }));
  function loadList(list) {
    if (list.starts) return list;
    const counts = decode(list.encoded.counts, 0, times.length), starts = new Float64Array(counts.length + 1);
    for (let i = 0; i < counts.length; i++) starts[i + 1] = starts[i] + counts[i];
    const flat = starts[counts.length];
    list.which = decode(list.encoded.which, 0, flat);
    list.columns = list.encoded.columns.map((c) => ({ label: c.label, decimals: c.decimals, values: decode(c.values, c.decimals, flat) }));
    list.starts = starts; list.encoded = null;
    return list;
  }
  const full = [times[0], times[times.length - 1]];
  let view = full.slice(), cursor = null, brush = null;

  // Clock: the recording's zone, as `rstat report` prints it.
  const offsetMs = data.utcOffsetS * 1000;
  const pad = (n) => String(n).padStart(2, "0");
  function clock(t, seconds) {
    const d = new Date(t + offsetMs);
    const hm = pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
    return seconds ? hm + ":" + pad(d.getUTCSeconds()) : hm;
  }
  function day(t) {
    const d = new Date(t + offsetMs);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
  }
  function short(v) {
    const a = Math.abs(v);
    const [s, u] = a >= 1e9 ? [v / 1e9, "G"] : a >= 1e6 ? [v / 1e6, "M"] : a >= 1e4 ? [v / 1e3, "k"] : [v, ""];
    return String(Number(s.toFixed(2))) + u;
  }
  function niceTicks(lo, hi) {
    if (!(hi > lo)) hi = lo + 1;
    const raw = (hi - lo) / 5, power = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
    const low = Math.floor(lo / step) * step, high = Math.ceil(hi / step) * step, ticks = [];
    for (let v = low; v <= high + step / 2; v += step) ticks.push(v);
    return { ticks, low, high };
  }
  function timeTicks(t0, t1) {
    const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
    const span = Math.max((t1 - t0) / 1000, 1), step = (steps.find((s) => span / s <= 10) || 86400) * 1000;
    const ticks = [];
    for (let t = Math.ceil((t0 + offsetMs) / step) * step - offsetMs; t <= t1; t += step) ticks.push(t);
    return { ticks, seconds: step < 60000 };
  }
  // The first sample index at or after t.
  function lowerBound(t) {
    let lo = 0, hi = times.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (times[mid] < t) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function nearest(t) {
    const i = lowerBound(t);
    if (i >= times.length) return times.length - 1;
    return i > 0 && t - times[i - 1] < times[i] - t ? i - 1 : i;
  }
  // Per pixel column, the [from, to) indexes of the samples in it.
  function pixelColumns(width) {
    const cols = [], span = Math.max(view[1] - view[0], 1);
    let i = lowerBound(view[0]);
    for (let c = 0; c < width; c++) {
      const edge = view[0] + (span * (c + 1)) / width, from = i;
      while (i < times.length && times[i] <= view[1] && (times[i] < edge || c === width - 1)) i++;
      cols.push([from, i]);
    }
    return cols;
  }
  const total = (chart, i) => chart.series.reduce((sum, s) => (s.hidden || !(s.values[i] === s.values[i]) ? sum : sum + s.values[i]), 0);

  function setupCanvas(canvas, width, height) {
    const ratio = window.devicePixelRatio || 1;
    canvas.width = width * ratio; canvas.height = height * ratio;
    canvas.style.width = width + "px"; canvas.style.height = height + "px";
    const g = canvas.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    return g;
  }

  const chartWidth = (chart) => Math.max(chart.holder.clientWidth - LEGEND, 200);
  const chartHeight = (chart) => chart.style === "heatmap" ? Math.max(90, Math.min(chart.series.length * 10, 260)) + TOP + BOTTOM : 190;

  function draw(chart) {
    load(chart);
    waiting.delete(chart);
    const width = chartWidth(chart), height = chartHeight(chart);
    const g = setupCanvas(chart.canvas, width, height);
    setupCanvas(chart.overlay, width, height);
    const w = width - LEFT - 8, h = height - TOP - BOTTOM;
    chart.geometry = { w, h };
    const cols = pixelColumns(w), visible = chart.series.filter((s) => !s.hidden);
    g.font = "11px sans-serif"; g.fillStyle = "#fff"; g.fillRect(0, 0, width, height);
    let peaks = null, lo = 0, hi = 0;
    if (chart.style === "stacked") {
      peaks = cols.map(([a, b]) => {
        let best = -1, most = -Infinity;
        for (let i = a; i < b; i++) { const t = total(chart, i); if (t > most) { most = t; best = i; } }
        if (best >= 0) hi = Math.max(hi, most);
        return best;
      });
    } else if (chart.style === "lines") {
      for (const s of visible) for (const [a, b] of cols) for (let i = a; i < b; i++) {
        const v = s.values[i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (chart.max !== null) { lo = 0; hi = chart.max; }
    const { ticks, low, high } = niceTicks(lo, hi);
    const y = (v) => TOP + h - ((v - low) / (high - low)) * h, x = (c) => LEFT + c + 0.5;
    chart.scale = { low, high };
    chart.drawnView = view.slice();
    g.strokeStyle = "#e4e4e4"; g.fillStyle = "#444"; g.textAlign = "right";
    if (chart.style !== "heatmap") for (const v of ticks) {
      g.beginPath(); g.moveTo(LEFT, y(v)); g.lineTo(LEFT + w, y(v)); g.stroke();
      g.fillText(short(v), LEFT - 5, y(v) + 4);
    }
    if (chart.unit && chart.style !== "heatmap") {
      // The value axis's unit, written up its left edge.
      g.save(); g.translate(12, TOP + h / 2); g.rotate(-Math.PI / 2); g.textAlign = "center";
      g.fillText(chart.unit, 0, 0); g.restore();
    }
    const tt = timeTicks(view[0], view[1]);
    g.textAlign = "center";
    for (const t of tt.ticks) {
      const px = LEFT + ((t - view[0]) / (view[1] - view[0])) * w;
      g.beginPath(); g.moveTo(px, TOP); g.lineTo(px, TOP + h); g.stroke();
      g.fillText(clock(t, tt.seconds), px, TOP + h + 15);
    }
    if (chart.style === "lines") {
      // Zoomed in, the lines run on to the samples just outside the view (clipped).
      const before = lowerBound(view[0]) - 1, after = lowerBound(view[1] + 1);
      g.save(); g.beginPath(); g.rect(LEFT, TOP, w, h); g.clip();
      g.lineWidth = 1.4;
      for (const s of visible) {
        g.strokeStyle = s.colour; g.beginPath();
        let pen = before >= 0 && s.values[before] === s.values[before];
        if (pen) g.moveTo(timeX(chart, times[before]), y(s.values[before]));
        cols.forEach(([a, b], c) => {
          if (a === b) return;
          let mn = Infinity, mx = -Infinity;
          for (let i = a; i < b; i++) { const v = s.values[i]; if (v < mn) mn = v; if (v > mx) mx = v; }
          if (mn === Infinity) { pen = false; return; }
          if (pen) g.lineTo(x(c), y(mx)); else g.moveTo(x(c), y(mx));
          if (mn !== mx) g.lineTo(x(c), y(mn));
          pen = true;
        });
        if (pen && after < times.length && s.values[after] === s.values[after]) g.lineTo(timeX(chart, times[after]), y(s.values[after]));
        g.stroke();
      }
      g.restore();
    } else if (chart.style === "stacked") {
      const below = peaks.map(() => 0), used = [];
      peaks.forEach((p, c) => { if (p >= 0) used.push(c); });
      for (const s of visible) {
        const above = peaks.map((p, c) => (p >= 0 && s.values[p] === s.values[p] ? below[c] + s.values[p] : below[c]));
        g.fillStyle = s.colour; g.globalAlpha = 0.85; g.beginPath();
        used.forEach((c, k) => (k ? g.lineTo(x(c), y(above[c])) : g.moveTo(x(c), y(above[c]))));
        for (let k = used.length - 1; k >= 0; k--) g.lineTo(x(used[k]), y(below[used[k]]));
        g.closePath(); g.fill(); g.globalAlpha = 1;
        above.forEach((v, c) => (below[c] = v));
      }
    } else {
      const rowH = h / Math.max(visible.length, 1);
      // Fewer samples than pixels: each sample fills its interval (from the one before).
      const first = lowerBound(view[0]), last = lowerBound(view[1] + 1);
      const sparse = last - first < w;
      const cell = (r, x0, x1, v) => {
        if (!(v > 0)) return;
        // Whole pixels: fractional edges would leave hairlines between neighbours.
        const a = Math.max(Math.floor(x0), LEFT), b = Math.min(Math.ceil(x1), LEFT + w);
        if (b <= a) return;
        g.globalAlpha = Math.min(v / high, 1);
        g.fillRect(a, TOP + r * rowH, b - a, rowH);
      };
      visible.forEach((s, r) => {
        g.fillStyle = s.colour;
        if (sparse) {
          for (let i = Math.max(first, 1); i <= Math.min(last, times.length - 1); i++) {
            cell(r, timeX(chart, times[i - 1]), timeX(chart, times[i]), s.values[i]);
          }
        } else {
          let held = -Infinity;
          cols.forEach(([a, b], c) => {
            let mx = a === b ? held : -Infinity; // a column without a sample: the last one's
            for (let i = a; i < b; i++) if (s.values[i] > mx) mx = s.values[i];
            held = mx;
            cell(r, LEFT + c, LEFT + c + 1, mx);
          });
        }
        g.globalAlpha = 1; g.fillStyle = "#444"; g.textAlign = "right";
        if (rowH >= 8) g.fillText(s.label, LEFT - 5, TOP + (r + 0.5) * rowH + 4);
      });
    }
    g.strokeStyle = "#c00"; g.setLineDash([3, 3]);
    for (const m of data.marks) if (m.t >= view[0] && m.t <= view[1]) {
      const px = LEFT + ((m.t - view[0]) / (view[1] - view[0])) * w;
      g.beginPath(); g.moveTo(px, TOP); g.lineTo(px, TOP + h); g.stroke();
    }
    g.setLineDash([]); g.strokeStyle = "#999"; g.strokeRect(LEFT, TOP, w, h);
    drawOverlay(chart);
    chartReadout(chart);
  }

  const timeX = (chart, t) => LEFT + ((t - view[0]) / (view[1] - view[0])) * chart.geometry.w;
  function drawOverlay(chart) {
    if (!chart.geometry) return;
    const g = chart.overlay.getContext("2d"), { w, h } = chart.geometry;
    g.clearRect(0, 0, LEFT + w + 8, TOP + h + BOTTOM);
    if (cursor !== null && times[cursor] >= view[0] && times[cursor] <= view[1]) {
      g.strokeStyle = "#000"; g.beginPath();
      g.moveTo(timeX(chart, times[cursor]), TOP); g.lineTo(timeX(chart, times[cursor]), TOP + h); g.stroke();
    }
    if (brush) {
      g.fillStyle = "rgba(0, 114, 178, 0.15)";
      const a = timeX(chart, Math.min(brush[0], brush[1])), b = timeX(chart, Math.max(brush[0], brush[1]));
      g.fillRect(a, TOP, b - a, h);
    }
  }

  function readout() {
    const header = document.getElementById("cursor");
    header.textContent = cursor === null
      ? day(view[0]) + " " + clock(view[0], true) + " to " + clock(view[1], true) + " (" + data.zone + ")"
      : day(times[cursor]) + " " + clock(times[cursor], true) + " (" + data.zone + ")";
    for (const chart of charts) chartReadout(chart);
  }
  // A chart's legend values at the cursor (a chart not decoded yet fills them when drawn).
  function chartReadout(chart) {
    if (!chart.loaded) return;
    for (const s of chart.series) {
      const v = cursor === null ? NaN : s.values[cursor];
      s.valueCell.textContent = v === v ? v.toFixed(s.decimals) : "";
    }
  }

  function showProcesses(event, list) {
    const box = document.getElementById("processes");
    const from = cursor === null ? 0 : list.starts[cursor], to = cursor === null ? 0 : list.starts[cursor + 1];
    if (!(to > from)) { box.hidden = true; return; }
    const cell = (tag, text) => "<" + tag + ">" + text.replace(/&/g, "&amp;").replace(/</g, "&lt;") + "</" + tag + ">";
    const rows = [cell("caption", "Busiest processes by " + list.rankedBy + " at " + clock(times[cursor], true)) +
      "<tr>" + ["PID", "Command", "User", ...list.columns.map((c) => c.label)].map((h) => cell("th", h)).join("") + "</tr>"];
    for (let k = from; k < to; k++) {
      const [pid, command, user] = data.processes.names[list.which[k]].split("\t");
      const figures = list.columns.map((c) => cell("td", c.values[k].toFixed(c.decimals)));
      rows.push("<tr>" + cell("td", pid) + cell("td", command) + cell("td", user || "") + figures.join("") + "</tr>");
    }
    box.innerHTML = "<table>" + rows.join("") + "</table>";
    box.style.left = Math.min(event.pageX + 16, document.body.clientWidth - 420) + "px";
    box.style.top = event.pageY + 16 + "px";
    box.hidden = false;
  }

  // Charts not drawn for the current view, drawn when they come within MARGIN of the window.
  const MARGIN = 400, waiting = new Set();
  function near(chart) {
    const r = chart.holder.getBoundingClientRect();
    return r.bottom > -MARGIN && r.top < window.innerHeight + MARGIN;
  }
  function redrawAll() {
    for (const chart of charts) if (near(chart)) draw(chart); else waiting.add(chart);
    readout();
  }
  const observer = new IntersectionObserver((entries) => {
    for (const e of entries) if (e.isIntersecting && waiting.has(e.target.chart)) draw(e.target.chart);
  }, { rootMargin: MARGIN + "px 0px" });
  const overlays = () => charts.forEach(drawOverlay);
  function timeAt(chart, event) {
    const rect = chart.overlay.getBoundingClientRect();
    const f = Math.min(Math.max((event.clientX - rect.left - LEFT) / chart.geometry.w, 0), 1);
    return view[0] + f * (view[1] - view[0]);
  }

  const main = document.getElementById("charts");
  for (const chart of charts) {
    const holder = document.createElement("section");
    holder.className = "chart";
    holder.innerHTML = "<h2></h2><div class=\"row\"><div class=\"plot\"><canvas></canvas><canvas class=\"overlay\"></canvas></div><ul class=\"legend\"></ul></div>";
    holder.querySelector("h2").textContent = chart.title + (chart.unit ? " (" + chart.unit + ")" : "");
    main.appendChild(holder);
    [chart.canvas, chart.overlay] = holder.querySelectorAll("canvas");
    chart.holder = holder;
    holder.chart = chart;
    // Sized before drawing, so that the page's layout does not move as charts are drawn.
    for (const canvas of [chart.canvas, chart.overlay]) {
      canvas.style.width = chartWidth(chart) + "px"; canvas.style.height = chartHeight(chart) + "px";
    }
    const legend = holder.querySelector(".legend");
    for (const s of chart.series) {
      const entry = document.createElement("li");
      entry.innerHTML = "<span class=\"swatch\"></span><span class=\"label\"></span><span class=\"value\"></span>";
      entry.querySelector(".swatch").style.background = s.colour;
      entry.querySelector(".label").textContent = s.label;
      s.valueCell = entry.querySelector(".value");
      entry.addEventListener("click", () => { s.hidden = !s.hidden; entry.classList.toggle("off", s.hidden); draw(chart); });
      legend.appendChild(entry);
    }
    const hoverList = chart.hover === null ? null : lists[chart.hover];
    // Events reach a chart in view; one still waiting (scrolled to a moment ago) is drawn first.
    const drawn = () => { if (waiting.has(chart) || !chart.geometry) draw(chart); };
    chart.overlay.addEventListener("mousedown", (e) => { drawn(); brush = [timeAt(chart, e), timeAt(chart, e)]; e.preventDefault(); });
    chart.overlay.addEventListener("mousemove", (e) => {
      drawn();
      const t = timeAt(chart, e);
      if (brush && e.buttons & 1) brush[1] = t;
      cursor = nearest(t);
      overlays(); readout();
      if (hoverList) showProcesses(e, loadList(hoverList));
    });
    chart.overlay.addEventListener("mouseleave", () => { document.getElementById("processes").hidden = true; });
    chart.overlay.addEventListener("dblclick", () => { view = full.slice(); brush = null; redrawAll(); });
  }
  window.addEventListener("mouseup", (e) => {
    if (!brush) return;
    const chart = charts.find((c) => c.overlay === e.target) || charts[0];
    const [a, b] = [Math.min(brush[0], brush[1]), Math.max(brush[0], brush[1])];
    brush = null;
    if (chart && chart.geometry && ((b - a) / (view[1] - view[0])) * chart.geometry.w > 3) { view = [a, b]; redrawAll(); } else overlays();
  });
  window.addEventListener("resize", redrawAll);
  for (const chart of charts) observer.observe(chart.holder);
  // For scripts and tests: the shown range and the readout, read from the page itself;
  // drawn() first draws the charts still waiting (what each shows once scrolled to).
  window.rstat = {
    view: () => view.slice(),
    drawn: () => { [...waiting].forEach(draw); return charts.map((c) => c.drawnView); },
    waiting: () => charts.map((c) => waiting.has(c)),
    readout: () => charts.map((c) => ({ title: c.title, values: c.series.map((s) => [s.label, s.valueCell.textContent]) })),
  };
  if (charts.length) redrawAll();
  document.body.dataset.ready = "yes";
})();
