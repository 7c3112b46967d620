// graphviz_ad explorer, part 2 of 8 (arrays): an array written out as a matrix, or drawn as
// a heat map when it is too large to read as numbers. The entries come from the data
// (graphviz_ad/widget/arrays.py: shape, rows × cols grid, rounded entries, "bin" for a
// large array shown in blocks).

// Up to this many entries an array is written out; beyond it, a heat map.
const MATRIX_LIMIT = 36;
// A diverging scale centred on 0 (negative blue, positive red), readable in light and dark.
const NEGATIVE = [33, 102, 172], ZERO = [247, 247, 247], POSITIVE = [178, 24, 43];

function entryText(v, digits = 4) {
  if (typeof v === "string") return v;          // "nan", "inf", "-inf"
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e6) return v.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, "e").replace("e+", "e");
  return String(Number(v.toPrecision(digits)));
}

// A larger array's heat map in its node of the drawing (render.text.heat_shape and
// heat_colours): at most HEAT_CELLS × HEAT_CELLS blocks, each the mean of its entries.
const HEAT_CELLS = 12;

function heatGrid(entries) {
  if (!entries) return null;
  const shape = entries.shape;
  const cols = shape[shape.length - 1], rows = shape.reduce((a, b) => a * b, 1) / cols;
  const blockRows = Math.ceil(rows / HEAT_CELLS), blockCols = Math.ceil(cols / HEAT_CELLS);
  return { rows: Math.ceil(rows / blockRows), cols: Math.ceil(cols / blockCols), blockRows, blockCols };
}

/** The colour of each block of `entries` (a derivative's) in a heat map of `grid`'s blocks,
 *  scaled by the largest block mean, as the drawing colours a value's. */
function heatColours(entries, grid) {
  const sums = new Float64Array(grid.rows * grid.cols), counts = new Uint32Array(grid.rows * grid.cols);
  const [binRows, binCols] = entries.bin || [1, 1];
  for (let r = 0; r < entries.rows; r++) {
    for (let c = 0; c < entries.cols; c++) {
      const v = entries.data[r * entries.cols + c];
      if (typeof v !== "number") continue;
      const k = Math.floor(r * binRows / grid.blockRows) * grid.cols + Math.floor(c * binCols / grid.blockCols);
      sums[k] += v;
      counts[k] += 1;
    }
  }
  const means = Array.from(sums, (s, k) => (counts[k] ? s / counts[k] : "nan"));
  const scale = Math.max(0, ...means.filter((m) => typeof m === "number").map(Math.abs));
  return means.map((m) => colourOf(m, scale));
}

function shapeText(entries) { return entries.shape.join("×"); }

function entryIndex(entries, r, c) {
  // The index of grid cell (r, c) in the array's own shape (leading axes were merged).
  const shape = entries.shape;
  if (entries.bin) return `[${r * entries.bin[0]}…, ${c * entries.bin[1]}…]`;
  if (shape.length === 1) return `[${c}]`;
  const index = [];
  let flat = r;
  for (let axis = shape.length - 2; axis >= 0; axis--) {
    index.unshift(flat % shape[axis]);
    flat = Math.floor(flat / shape[axis]);
  }
  index.push(c);
  return `[${index.join(", ")}]`;
}

function colourOf(v, scale) {
  if (typeof v === "string") return "rgb(128,128,128)";
  const t = Math.max(-1, Math.min(1, scale ? v / scale : 0));
  const end = t < 0 ? NEGATIVE : POSITIVE;
  const k = Math.abs(t);
  return `rgb(${end.map((e, i) => Math.round(ZERO[i] + (e - ZERO[i]) * k)).join(",")})`;
}

function finiteRange(data) {
  let lo = Infinity, hi = -Infinity;
  for (const v of data) if (typeof v === "number") { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  return lo <= hi ? [lo, hi] : [0, 0];
}

/** A matrix written out (small) or a heat map (large). `column`: write a vector as a column,
 *  as Nielsen's vectors are; `name`: what the entries are called in the readout ("W2"). */
function arrayView(entries, { name = "", column = false, compact = false } = {}) {
  if (asHeatMap(entries, compact)) return heatMap(entries, name, compact);
  return matrixView(entries, name, column, compact);
}

function asHeatMap(entries, compact) {
  return !!entries.bin || entries.rows * entries.cols > (compact ? 16 : MATRIX_LIMIT);
}

// How a matrix is written: rows × cols cells and the entry each shows (a vector as a
// column, as in Nielsen, when asked for and in the values table, where a column stays
// narrow: a row of 16 numbers would not fit beside another).
function matrixLayout(entries, column, compact) {
  const vector = entries.shape.length === 1;
  const down = vector && (column || compact);
  return {
    vector, rows: down ? entries.cols : entries.rows, cols: down ? 1 : entries.cols,
    at: (r, c) => (down ? r : r * entries.cols + c),
    index: (r, c) => entryIndex(entries, down ? 0 : r, down ? r : c),
  };
}

// An entry as a matrix writes it (arrayWidth measures the same text).
function matrixEntryText(v, compact) { return entryText(v, compact ? 3 : 4); }

/** How wide arrayView(entries, { compact }) draws: `chars` characters of the matrix's
 *  code font plus `px` of paddings and borders (a heat map: px alone). The values table
 *  sizes its columns by this, with no layout read. */
function arrayWidth(entries, compact) {
  if (asHeatMap(entries, compact)) return { chars: 0, px: entries.cols * cellSize(entries, compact) + 2 };
  const m = matrixLayout(entries, false, compact);
  let chars = 0;
  for (let c = 0; c < m.cols; c++) {
    let widest = 0;
    for (let r = 0; r < m.rows; r++) widest = Math.max(widest, matrixEntryText(entries.data[m.at(r, c)], compact).length);
    chars += widest;
  }
  // each entry's side paddings, the brackets' borders and the matrix's own padding (CSS)
  return { chars, px: m.cols * (compact ? 6 : 10) + 3 + 6 };
}

function matrixView(entries, name, column, compact) {
  const m = matrixLayout(entries, column, compact);
  const table = make("table", { class: "gad-matrix" + (compact ? " gad-matrix-compact" : ""),
    "aria-label": `${name ? name + ": " : ""}${m.vector ? "vector" : "matrix"} of shape ${shapeText(entries)}` });
  const body = make("tbody");
  for (let r = 0; r < m.rows; r++) {
    const tr = make("tr");
    for (let c = 0; c < m.cols; c++) {
      const v = entries.data[m.at(r, c)];
      tr.append(make("td", { title: `${name}${m.index(r, c)} = ${entryText(v, 6)}` }, matrixEntryText(v, compact)));
    }
    body.append(tr);
  }
  table.append(body);
  return table;
}

// Cell size in CSS px: a heat map is at most ~260 px (compact: ~120 px) on its long side.
function cellSize(entries, compact) {
  const long = Math.max(entries.rows, entries.cols);
  return Math.max(compact ? 1 : 2, Math.min(compact ? 8 : 18, Math.floor((compact ? 120 : 260) / long)));
}

function heatMap(entries, name, compact) {
  const figure = make("figure", { class: "gad-heat" + (compact ? " gad-heat-compact" : "") });
  const size = cellSize(entries, compact);
  const canvas = make("canvas", { width: String(entries.cols * size), height: String(entries.rows * size),
    tabindex: compact ? "-1" : "0", role: "img" });
  const [lo, hi] = finiteRange(entries.data);
  const scale = Math.max(Math.abs(lo), Math.abs(hi));
  const label = `${name ? name + ": " : ""}${shapeText(entries)} array, range ${entryText(lo)} to ${entryText(hi)}` +
    (entries.bin ? `, shown in blocks of ${entries.bin.join("×")} (each cell their mean)` : "");
  canvas.setAttribute("aria-label", label);
  const ctx = canvas.getContext("2d");
  if (ctx) {
    entries.data.forEach((v, k) => {
      ctx.fillStyle = colourOf(v, scale);
      ctx.fillRect((k % entries.cols) * size, Math.floor(k / entries.cols) * size, size, size);
    });
  }
  figure.append(canvas);
  if (compact) { figure.title = label; return figure; }
  const readout = make("figcaption", { class: "gad-heat-readout" });
  const summary = `${shapeText(entries)}, range ${entryText(lo)} … ${entryText(hi)}` +
    (entries.bin ? ` (blocks of ${entries.bin.join("×")})` : "");
  readout.textContent = summary;
  let cursor = null;
  const show = (r, c) => {
    cursor = [r, c];
    readout.textContent = `${name}${entryIndex(entries, r, c)} = ${entryText(entries.data[r * entries.cols + c], 6)}` +
      (entries.bin ? " (block mean)" : "");
  };
  canvas.addEventListener("pointermove", (e) => {
    const box = canvas.getBoundingClientRect();
    const c = Math.floor((e.clientX - box.left) / box.width * entries.cols);
    const r = Math.floor((e.clientY - box.top) / box.height * entries.rows);
    if (r >= 0 && c >= 0 && r < entries.rows && c < entries.cols) show(r, c);
  });
  canvas.addEventListener("pointerleave", () => { cursor = null; readout.textContent = summary; });
  canvas.addEventListener("keydown", (e) => {  // arrow keys read the entries one by one
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (!moves[e.key]) return;
    const [r, c] = cursor || [0, -1];
    show(Math.max(0, Math.min(entries.rows - 1, r + moves[e.key][0])),
         Math.max(0, Math.min(entries.cols - 1, c + moves[e.key][1])));
    e.preventDefault();
    e.stopPropagation();  // not the explorer's step keys
  });
  const key = make("div", { class: "gad-heat-key", "aria-hidden": "true" });
  key.append(make("span", {}, entryText(-scale, 2)), make("span", { class: "gad-heat-bar" }), make("span", {}, entryText(scale, 2)));
  figure.append(readout, key);
  return figure;
}
