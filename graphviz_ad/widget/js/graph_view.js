// graphviz_ad explorer, part 4 of 8 (graph view): the SVG, its index, the marks a step
// sets on it, following the current node, zoom and drag. Methods of ExplorerView (view.js
// copies them onto its prototype). Stepping only toggles classes and text on the few SVG
// elements a step touches (looked up in an index built once); the SVG is never re-rendered.

const EMPTY_DATA = {
  nodes: { name: [], kind: [], op: [], value: [] }, edges: { dst: [], slot: [], src: [] },
  inputs: [], outputs: [], input_names: [], output_names: [], sweeps: {}, paths: {}, unavailable: {}, cost: null,
};

// The overview's inset from the box's corner (8 px in the CSS), its border and a little air.
const OVERVIEW_MARGIN = 12;

/** Where the graph box should scroll so that `box` (a node's rectangle in the drawing, in
 *  CSS px) is whole in view and clear of the overview (`overview`: its size, shown in the
 *  bottom `corner`, or null), for a view `v` (scroll position and size) of a W × H drawing.
 *  Null when it already is: the view stays put while the sweep moves inside it. Otherwise
 *  the view takes in the node and as many of the next steps' nodes (`ahead`, in order) as
 *  fit beside it, so that it moves once for a run of steps rather than on every step (less
 *  motion to follow, and a step that scrolls costs a repaint of the drawing); centred in the
 *  room above the overview, or beside it, or with the overview moved to the other corner,
 *  whichever first leaves the node clear once the scroll is clamped to the drawing; failing
 *  all, the node alone centred in the box. */
function followView(box, v, W, H, overview, corner = "right", ahead = []) {
  const shift = Math.max(0, (v.w - W) / 2);  // a narrower drawing is centred (margin: auto)
  const x = box.x + shift;
  const clampLeft = (left) => Math.max(0, Math.min(Math.max(0, W - v.w), left));
  const clampTop = (top) => Math.max(0, Math.min(Math.max(0, H - v.h), top));
  const ow = overview ? overview.w + OVERVIEW_MARGIN : 0, oh = overview ? overview.h + OVERVIEW_MARGIN : 0;
  const clear = (left, top, c) => {
    const x0 = x - left, y0 = box.y - top;
    if (x0 < -0.5 || y0 < -0.5 || x0 + box.w > v.w + 0.5 || y0 + box.h > v.h + 0.5) return false;
    if (!overview) return true;
    const ox = c === "right" ? v.w - ow : 0;
    return x0 + box.w <= ox || x0 >= ox + ow || y0 + box.h <= v.h - oh;
  };
  if (clear(v.left, v.top, corner)) return null;
  const corners = overview ? [corner, corner === "right" ? "left" : "right"] : [corner];
  for (const c of corners) {
    const rooms = [{ x: 0, y: 0, w: v.w, h: v.h - oh }, { x: c === "right" ? 0 : ow, y: 0, w: v.w - ow, h: v.h }];
    for (const r of rooms) {
      let u = { x0: x, y0: box.y, x1: x + box.w, y1: box.y + box.h };
      for (const a of ahead) {
        const next = { x0: Math.min(u.x0, a.x + shift), y0: Math.min(u.y0, a.y),
                       x1: Math.max(u.x1, a.x + shift + a.w), y1: Math.max(u.y1, a.y + a.h) };
        if (next.x1 - next.x0 > r.w || next.y1 - next.y0 > r.h) break;
        u = next;
      }
      const left = clampLeft((u.x0 + u.x1) / 2 - (r.x + r.w / 2)), top = clampTop((u.y0 + u.y1) / 2 - (r.y + r.h / 2));
      if (clear(left, top, c)) return { left, top, corner: c };
    }
  }
  return { left: clampLeft(x + box.w / 2 - v.w / 2), top: clampTop(box.y + box.h / 2 - v.h / 2), corner };
}

const GraphView = {
  // _svg and _data change together (a retrace): load once, after both have arrived.
  scheduleLoad() {
    if (this.loadPending) return;
    this.loadPending = true;
    queueMicrotask(() => {
      this.loadPending = false;
      if (this.destroyed) return;
      this.loadGraph();
    });
  },

  loadGraph() {
    this.stop();
    this.stopCompare();
    this.data = this.model.get("_data") || EMPTY_DATA;
    this.graph.style.height = (this.model.get("height") || 460) + "px";
    this.title.textContent = this.data.title || "";
    const grouped = this.model.get("_svg_grouped") || "";
    this.drawingField.hidden = !grouped || !this.data.groups;
    if (this.drawingField.hidden) this.drawingSelect.value = "nodes";
    this.grouped = this.drawingSelect.value === "neurons";
    const text = (this.grouped ? grouped : this.model.get("_svg")) || "";
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const svg = doc.documentElement;
    this.graph.replaceChildren();
    if (svg && svg.nodeName.toLowerCase() === "svg") {
      this.svg = document.importNode(svg, true);
      this.svg.classList.add("gad-svg");
      this.svg.removeAttribute("style");
      this.stack = make("div", { class: "gad-stack" });
      this.lazyPending = this.data.nodes.name.length > LAZY_PENDING;
      this.stack.classList.toggle("gad-lazy-pending", this.lazyPending);
      this.stack.append(this.svg, ...splitLayers(this.svg));
      this.layers = [...this.stack.children];
      this.graph.append(this.stack);
      const vb = this.svg.viewBox && this.svg.viewBox.baseVal;
      this.natural = vb && vb.width ? { x: vb.x, y: vb.y, w: vb.width, h: vb.height } : { x: 0, y: 0, w: 400, h: 300 };
      this.nodeBoxes = null;
      // Graphviz sizes in pt; at scale 1 one pt is drawn as 1.333 CSS px, as graphviz intends.
      this.zoom(this.scale, false);
      const wanted = Math.ceil(this.natural.h * 4 / 3) + 24;
      this.graphHeight = Math.min(this.model.get("height") || 460, Math.max(200, wanted)) + "px";
      this.graph.style.height = this.presenting ? "calc(100vh - 110px)" : this.graphHeight;
      this.svg.setAttribute("aria-hidden", "true");
      this.fitWhenShown();
    } else {
      this.svg = null;
      this.stack = null;
      this.layers = [];
    }
    this.indexSvg();
    this.inEdges = null;
    this.inspector.hidden = true;
    this.buildMinimap();
    this.buildSelects();
    this.buildTable();
    this.buildCost();
    this.buildInputs();
    this.shown = { key: null, step: -1, path: -1 };
    this.apply();
  },

  indexSvg() {
    const n = this.data.nodes.name.length;
    const edges = this.data.edges;
    this.nodeEl = new Array(n).fill(null);
    this.derivEl = new Array(n).fill(null);
    this.derivBlank = new Array(n).fill("");
    this.entryEl = new Map();
    this.heatEl = new Map();
    this.edgeEl = new Array(edges.dst.length).fill(null);
    if (!this.svg) return;
    const byId = new Map();
    for (const e of this.stack.querySelectorAll("[id]")) byId.set(e.id, e);
    for (let i = 0; i < n; i++) {
      this.nodeEl[i] = byId.get("node-n" + i) || null;
      // The derivative line: a <text>, or a group around one (graphviz's table cells).
      let d = byId.get("deriv-n" + i) || byId.get("a_deriv-n" + i) || null;
      if (d && d.tagName !== "text") d = d.querySelector("text");
      this.derivEl[i] = d;
      // A larger array's derivative is a heat map: its blocks, in order, to colour in.
      const grid = heatGrid(this.data.nodes.array?.[i]);  // (none in a graph of numbers)
      const blocks = grid ? this.nodeEl[i]?.querySelectorAll("polygon.gad-dcell") : null;
      if (blocks?.length && grid.rows * grid.cols === blocks.length) this.heatEl.set(i, { blocks: [...blocks], ...grid });
      // A small array's derivative is a matrix: one text per entry (deriv-n5-0, -1, ...).
      if (byId.has(`deriv-n${i}-0`)) {
        const entries = [];
        for (let k = 0; byId.has(`deriv-n${i}-${k}`); k++) entries.push(byId.get(`deriv-n${i}-${k}`));
        this.entryEl.set(i, entries);
      }
    }
    for (let j = 0; j < edges.dst.length; j++) this.edgeEl[j] = byId.get(`edge-e${edges.dst[j]}_${edges.slot[j]}`) || null;
    this.indexBoxes(byId);
  },

  // A collapsed drawing (by scope, or one box per neuron) has boxes ("scope-<k>") instead
  // of some nodes; the data says which box holds each node. A step inside a box marks the
  // box, and the box's last line counts the derivatives known in it.
  indexBoxes(byId) {
    const n = this.data.nodes.name.length;
    const of = (this.grouped ? this.data.groups : this.data.boxes) || [];
    this.boxOfNode = new Int32Array(n).fill(-1);
    this.boxes = [];
    for (let i = 0; i < n; i++) {
      const k = of[i] ?? -1;
      const el = k >= 0 && !this.nodeEl[i] ? byId.get("scope-" + k) : null;
      if (!el) continue;
      if (!this.boxes[k]) {
        const texts = el.querySelectorAll("text");
        this.boxes[k] = { el, count: texts.length > 2 ? texts[texts.length - 1] : null, done: 0, total: 0, bbox: null };
      }
      this.boxOfNode[i] = k;
    }
  },

  // The element that stands for node i: its own, or the collapsed box holding it.
  elementOf(i) {
    if (this.nodeEl[i]) return this.nodeEl[i];
    const k = this.boxOfNode?.[i] ?? -1;
    return k >= 0 ? this.boxes[k]?.el || null : null;
  },

  countBoxes(steps, mode) {
    if (!this.boxes.length) return;
    for (const box of this.boxes) if (box) { box.done = 0; box.total = 0; box.mode = mode; box.el.classList.remove("gad-done"); }
    for (const node of steps.node) { const k = this.boxOfNode[node]; if (k >= 0 && this.boxes[k]) this.boxes[k].total++; }
    for (const box of this.boxes) if (box) this.writeBox(box);
  },

  writeBox(box) {
    if (box.count) box.count.textContent = `${box.done.toLocaleString("en")} of ${box.total.toLocaleString("en")} ${box.mode === "forward" ? "tangents" : "adjoints"} known`;
    box.el.classList.toggle("gad-done", box.total > 0 && box.done === box.total);
  },

  boxStep(node, delta) {
    const k = this.boxOfNode?.[node] ?? -1;
    const box = k >= 0 ? this.boxes[k] : null;
    if (!box) return;
    box.done += delta;
    this.writeBox(box);
  },

  resetMarks() {
    this.minimapBase = null;
    for (const el of this.stack ? this.stack.querySelectorAll("." + STEP_CLASSES.join(",.")) : []) {
      el.classList.remove(...STEP_CLASSES);
    }
    // Undo what the shown sweep wrote: its done steps' cells (and, in a small drawing, every
    // derivative line; a large one hides the lines of pending nodes instead, see LAZY_PENDING).
    const prev = this.shownSweep;
    const written = prev ? prev.steps.node.slice(0, this.shown.step + 1) : this.cellEl.keys();
    for (const node of written) { const c = this.cellEl[node]; if (c && c.firstChild) c.replaceChildren(); }
    this.derivBlank.fill("");
    for (const entries of this.entryEl.values()) for (const e of entries) if (e.textContent) e.textContent = "";
    for (const heat of this.heatEl.values()) for (const b of heat.blocks) b.style.fill = "";
    if (!this.lazyPending) {
      this.derivEl.forEach((d, i) => { if (d && d.textContent !== this.derivBlank[i]) d.textContent = this.derivBlank[i]; });
    }
    for (const row of this.tableWrap.querySelectorAll(".gad-row-current,.gad-row-done")) {
      row.classList.remove("gad-row-current", "gad-row-done");
    }
    this.currentMarks = [];
    this.shownSweep = null;
  },

  markDone(steps, i) {
    const node = steps.node[i];
    this.paintMinimapNode(node, 1);
    if (!this.nodeEl[node]) this.boxStep(node, 1);
    this.nodeEl[node]?.classList.add("gad-done");
    const d = this.derivEl[node];
    const matrix = this.entryEl.get(node), entries = steps.array?.[i];
    if (matrix && entries && entries.data.length === matrix.length) {
      if (d) d.textContent = `${steps.symbol[i]} =`;
      matrix.forEach((e, k) => { e.textContent = entryText(entries.data[k], 3); });
    } else if (d) d.textContent = `${steps.symbol[i]} = ${steps.value[i]}`;
    const heat = this.heatEl.get(node);
    if (heat && entries) heatColours(entries, heat).forEach((colour, k) => { heat.blocks[k].style.fill = colour; });
    const cell = this.cellEl[node];
    if (cell) {
      const entries = steps.array?.[i];
      if (entries) cell.replaceChildren(arrayView(entries, { name: steps.symbol[i], compact: true }));
      else cell.textContent = steps.value[i];
    }
    this.rowEl[node]?.classList.add("gad-row-done");
    for (const j of steps.term_edges[i]) this.edgeEl[j]?.classList.add("gad-used");
  },

  unmarkDone(steps, i) {
    const node = steps.node[i];
    this.paintMinimapNode(node, 0);
    if (!this.nodeEl[node]) this.boxStep(node, -1);
    this.nodeEl[node]?.classList.remove("gad-done");
    const d = this.derivEl[node];
    if (d) d.textContent = this.derivBlank[node];
    for (const e of this.entryEl.get(node) || []) e.textContent = "";
    for (const b of this.heatEl.get(node)?.blocks || []) b.style.fill = "";
    const cell = this.cellEl[node];
    if (cell) cell.textContent = "";
    this.rowEl[node]?.classList.remove("gad-row-done");
    for (const j of steps.term_edges[i]) this.edgeEl[j]?.classList.remove("gad-used");
  },

  clearCurrent() {
    for (const [el, cls] of this.currentMarks || []) el.classList.remove(cls);
    this.currentMarks = [];
  },

  mark(el, cls) {
    if (!el) return;
    el.classList.add(cls);
    this.currentMarks.push([el, cls]);
  },

  // Keep the current node in view when the graph is larger than its box, and clear of the
  // overview in its corner. Nothing here reads layout after the step's class changes (that
  // would force a synchronous style and layout of the whole drawing on every click): node
  // boxes are measured once, and the box size and scroll position are tracked by observers.
  follow(node) {
    const v = this.viewport;
    // Before the box has a size (the first view), remember the node: the viewport
    // observer follows it once the box is laid out, so the view opens on it.
    this.pendingFollow = (!v || !v.w) ? node : null;
    if (!v || !v.w || !this.elementOf(node)) return;
    if (!this.nodeBoxes) this.measureNodes();
    const b = this.nodeBoxes[node] || this.boxBox(node);
    if (!b) return;
    // A node wider than the box (a matrix node on a phone) is drawn a little smaller until
    // it fits, unless the reader chose the zoom; not below 0.6, where text gets too small.
    const wide = b[2] * this.scale * 4 / 3 / (v.w - 12);
    if (wide > 1 && !this.userZoomed && this.scale / wide >= 0.6) this.zoom(this.scale / wide, false);
    const k = this.scale * 4 / 3;
    const inPx = (b) => ({ x: (b[0] - this.natural.x) * k, y: (b[1] - this.natural.y) * k, w: b[2] * k, h: b[3] * k });
    const ahead = [];
    for (const n of node === this.currentNode ? this.aheadNodes || [] : []) {
      const a = this.nodeBoxes[n] || (this.boxOfNode?.[n] >= 0 ? this.boxBox(n) : null);
      if (a) ahead.push(inPx(a));
    }
    const view = followView(inPx(b), v, this.natural.w * k, this.natural.h * k + (this.overviewRoom || 0),
                            this.overviewSize(), this.minimapCorner, ahead);
    if (!view) return;
    // Writing scrollTop forces a layout, so do it in the next frame, which lays out anyway.
    cancelAnimationFrame(this.followFrame);
    this.followFrame = requestAnimationFrame(() => {
      if (view.corner !== this.minimapCorner) {
        this.minimapCorner = view.corner;
        this.minimap?.classList.toggle("gad-minimap-left", view.corner === "left");
      }
      const g = this.graph;
      g.scrollLeft = view.left;
      g.scrollTop = view.top;
      // now, not at the scroll event (a frame later): a follow before it starts from here
      this.viewport = { ...this.viewport, left: g.scrollLeft, top: g.scrollTop };
    });
  },

  // The overview's size while it is shown (the drawing larger than its box), else null.
  overviewSize() {
    const g = this.minimap && this.minimapGeometry();
    return g && g.shown ? { w: g.w, h: g.h } : null;
  },

  // Scroll the values table (only it, never the page) to the current row, in the next frame.
  followRow(row) {
    if (!row) return;
    cancelAnimationFrame(this.rowFrame);
    this.rowFrame = requestAnimationFrame(() => {
      const wrap = this.tableWrap;
      if (wrap.scrollHeight <= wrap.clientHeight) return;
      let top = 0;
      for (let e = row; e && e !== wrap; e = e.offsetParent) top += e.offsetTop;
      if (top < wrap.scrollTop + 30 || top + row.offsetHeight > wrap.scrollTop + wrap.clientHeight) {
        wrap.scrollTop = top - wrap.clientHeight / 2;
      }
    });
  },

  boxBox(node) {
    const box = this.boxes[this.boxOfNode[node]];
    if (!box) return null;
    if (!box.bbox) {
      const r = box.el.getBBox();
      box.bbox = [r.x + this.topShift[0], r.y + this.topShift[1], r.width, r.height];
    }
    return box.bbox;
  },

  measureNodes() {
    // Node boxes in viewBox units: getBBox is in the node's own space, inside graphviz's
    // one translated top group.
    const top = this.svg.querySelector("g.graph");
    const m = top && top.transform.baseVal.consolidate();
    const tx = m ? m.matrix.e : 0, ty = m ? m.matrix.f : 0;
    this.topShift = [tx, ty];
    this.nodeBoxes = this.nodeEl.map((el) => {
      if (!el) return null;
      const r = el.getBBox();
      return [r.x + tx, r.y + ty, r.width, r.height];
    });
  },

  // The overview: every node as a dot in its state (pending, done, current) and the part of
  // the drawing in view, shown while the drawing is larger than its box; a click or a drag
  // on it moves the view there.
  buildMinimap() {
    this.minimap?.remove();
    this.minimap = null;
    this.minimapBase = null;
    if (!this.svg) return;
    const c = make("canvas", { class: "gad-minimap", "aria-hidden": "true", title: "Overview: click or drag to move the view" });
    c.hidden = true;
    this.graphBox.append(c);
    this.minimap = c;
    this.minimapColours = null;  // read from the theme once the widget is in the page
    this.minimapCorner = "right";
    this.overviewRoom = 0;  // a new stack, without the room below
    let dragging = false;
    const moveTo = (e) => {
      const r = c.getBoundingClientRect();
      const fx = (e.clientX - r.left) / r.width, fy = (e.clientY - r.top) / r.height;
      const g = this.graph;
      g.scrollLeft = fx * g.scrollWidth - g.clientWidth / 2;
      g.scrollTop = fy * g.scrollHeight - g.clientHeight / 2;
    };
    c.addEventListener("pointerdown", (e) => { dragging = true; c.setPointerCapture?.(e.pointerId); moveTo(e); e.stopPropagation(); });
    c.addEventListener("pointermove", (e) => { if (dragging) moveTo(e); });
    c.addEventListener("pointerup", () => { dragging = false; });
  },

  // The nodes in their states live on an offscreen canvas, updated one node per step
  // (paintMinimapNode); each frame copies it and draws the view and the current node on top.
  minimapGeometry() {
    const c = this.minimap, v = this.viewport;
    if (!c || !v || !v.w || !this.svg) return null;
    const px = this.scale * 4 / 3;
    const W = this.natural.w * px, H = this.natural.h * px;
    const side = Math.max(60, Math.min(160, Math.round(v.w / 4)));  // a phone: a smaller one
    const w = W >= H ? side : Math.max(24, Math.round(side * W / H));
    const h = W >= H ? Math.max(24, Math.round(side * H / W)) : side;
    const shown = W > v.w + 4 || H > v.h + 4;  // (shown while the drawing is larger than its box)
    return { px, W, H, w, h, v, kx: w / this.natural.w, ky: h / this.natural.h, shown };
  },

  // The theme's colours, as the canvas needs them (computed values, so only once the widget
  // is in the document: a live widget is built before JupyterLab attaches it).
  themeColours() {
    if (this.minimapColours || !this.el.isConnected) return this.minimapColours;
    const probe = make("span", { style: "display:none" });
    this.el.append(probe);
    const colour = (name) => { probe.style.color = `var(${name})`; return getComputedStyle(probe).color; };
    this.minimapColours = { bg: colour("--gad-bg"), node: colour("--gad-muted"), done: colour("--gad-done"),
      current: colour("--gad-current"), view: colour("--gad-fg") };
    probe.remove();
    return this.minimapColours;
  },

  paintMinimapNode(node, state) {
    const base = this.minimapBase;
    if (!base) return;
    const b = this.nodeBoxes?.[node] || (this.boxOfNode?.[node] >= 0 ? this.boxBox(node) : null);
    if (!b) return;
    const ctx = base.ctx, col = this.minimapColours;
    ctx.fillStyle = state ? col.done : col.node;
    ctx.fillRect((b[0] - this.natural.x) * base.kx, (b[1] - this.natural.y) * base.ky,
                 Math.max(1.5, b[2] * base.kx), Math.max(1.5, b[3] * base.ky));
  },

  buildMinimapBase(g) {
    const canvas = document.createElement("canvas");
    canvas.width = g.w;
    canvas.height = g.h;
    const ctx = canvas.getContext("2d");
    if (!ctx) return null;
    this.minimapBase = { canvas, ctx, kx: g.kx, ky: g.ky, w: g.w, h: g.h, key: this.shown.key };
    ctx.fillStyle = this.minimapColours.bg;
    ctx.fillRect(0, 0, g.w, g.h);
    if (!this.nodeBoxes) this.measureNodes();
    const done = new Uint8Array(this.nodeEl.length);
    const sweep = this.model.get("mode") !== "paths" ? this.sweep() : null;
    if (sweep) for (let j = 0; j < this.shown.step; j++) done[sweep.steps.node[j]] = 1;
    for (let i = 0; i < done.length; i++) this.paintMinimapNode(i, done[i]);
    return this.minimapBase;
  },

  drawMinimap() {
    if (!this.minimap || this.minimapFrame) return;
    this.minimapFrame = requestAnimationFrame(() => {
      this.minimapFrame = 0;
      const g = this.minimapGeometry();
      if (!g || !this.themeColours()) return;
      const c = this.minimap;
      const larger = g.shown;
      c.hidden = !larger;
      // Room below the drawing as tall as the overview, so the view can bring a node at the
      // bottom of the drawing up above the overview (followView).
      const room = larger ? g.h + OVERVIEW_MARGIN : 0;
      if (room !== this.overviewRoom) {
        this.overviewRoom = room;
        this.stack.style.marginBottom = room ? `${room}px` : "";
      }
      if (!larger) return;
      let base = this.minimapBase;
      if (!base || base.w !== g.w || base.h !== g.h || base.key !== this.shown.key) base = this.buildMinimapBase(g);
      if (!base) return;
      if (c.width !== g.w) c.width = g.w;
      if (c.height !== g.h) c.height = g.h;
      const ctx = c.getContext("2d");
      ctx.drawImage(base.canvas, 0, 0);
      const sweep = this.model.get("mode") !== "paths" ? this.sweep() : null;
      const node = sweep && this.shown.step >= 0 ? sweep.steps.node[this.shown.step] : -1;
      const b = node >= 0 ? (this.nodeBoxes[node] || (this.boxOfNode[node] >= 0 ? this.boxBox(node) : null)) : null;
      if (b) {  // the current node: on top, and never smaller than a few pixels
        ctx.fillStyle = this.minimapColours.current;
        ctx.beginPath();
        ctx.arc((b[0] - this.natural.x + b[2] / 2) * g.kx, (b[1] - this.natural.y + b[3] / 2) * g.ky, 4, 0, 2 * Math.PI);
        ctx.fill();
      }
      ctx.strokeStyle = this.minimapColours.view;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(g.v.left / g.px * g.kx + 0.75, g.v.top / g.px * g.ky + 0.75,
                     Math.min(g.w, g.v.w / g.px * g.kx) - 1.5, Math.min(g.h, g.v.h / g.px * g.ky) - 1.5);
    });
  },

  trackViewport() {
    const g = this.graph;
    const update = () => {
      const was = this.viewport;
      this.viewport = { left: g.scrollLeft, top: g.scrollTop, w: g.clientWidth, h: g.clientHeight };
      this.drawMinimap();
      if (this.pendingFollow !== null && this.pendingFollow !== undefined && g.clientWidth) this.follow(this.pendingFollow);
      else if (was && (was.w !== g.clientWidth || was.h !== g.clientHeight) && this.currentNode !== undefined) {
        // a resized box (the window, a side bar, a phone turned) may have been refitted:
        // find the current node again once that is done
        requestAnimationFrame(() => this.follow(this.currentNode));
      }
    };
    this.on(g, "scroll", update, { passive: true });
    this.viewportObserver = new ResizeObserver(update);
    this.viewportObserver.observe(g);
  },

  // A mouse (or pen) drag pans the drawing; a click without a drag inspects the node under
  // it. Touch scrolls natively (touch-action in the CSS), so a swipe can also scroll the page.
  enableDrag() {
    let start = null;
    this.on(this.graph, "pointerdown", (e) => {
      if (e.button !== 0 || e.pointerType === "touch") return;
      start = { x: e.clientX, y: e.clientY, left: this.graph.scrollLeft, top: this.graph.scrollTop, moved: false };
      this.graph.classList.add("gad-dragging");
    });
    this.on(this.graph, "pointermove", (e) => {
      if (!start) return;
      if (Math.abs(e.clientX - start.x) + Math.abs(e.clientY - start.y) > 4) start.moved = true;
      this.graph.scrollLeft = start.left - (e.clientX - start.x);
      this.graph.scrollTop = start.top - (e.clientY - start.y);
    });
    const end = () => { start = null; this.graph.classList.remove("gad-dragging"); };
    this.on(this.graph, "pointerup", (e) => { if (start && !start.moved) this.inspectAt(e.target); end(); });
    this.on(this.graph, "pointerleave", end);
    this.on(this.graph, "click", (e) => { if (e.pointerType === "touch" || e.detail === 0) this.inspectAt(e.target); });
  },

  zoom(scale, keepCentre = true) {
    if (!this.svg) return;
    scale = Math.max(0.05, Math.min(8, scale));
    const g = this.graph;
    const cx = (g.scrollLeft + g.clientWidth / 2) / Math.max(1, g.scrollWidth);
    const cy = (g.scrollTop + g.clientHeight / 2) / Math.max(1, g.scrollHeight);
    this.scale = scale;
    const w = `${this.natural.w * scale * 4 / 3}px`, h = `${this.natural.h * scale * 4 / 3}px`;
    for (const layer of this.layers) {
      layer.setAttribute("width", w);
      layer.setAttribute("height", h);
    }
    this.stack.style.width = w;
    this.stack.style.height = h;
    if (keepCentre) {
      g.scrollLeft = cx * g.scrollWidth - g.clientWidth / 2;
      g.scrollTop = cy * g.scrollHeight - g.clientHeight / 2;
    }
  },

  // A graph a little wider than its box is shrunk to fit, again whenever the box is
  // resized (it has no size until it is in the page), until the reader zooms by hand; a
  // much wider one keeps its size and scrolls instead.
  fitWhenShown() {
    this.resizeObserver?.disconnect();
    this.userZoomed = false;
    this.resizeObserver = new ResizeObserver(() => {
      if (!this.graph.clientWidth || !this.svg || this.userZoomed) return;
      const fitScale = (this.graph.clientWidth - 8) / (this.natural.w * 4 / 3);
      const scale = fitScale >= 1 || fitScale < 0.5 ? 1 : fitScale;
      if (Math.abs(scale - this.scale) > 0.01) {
        this.zoom(scale, false);
        if (this.currentNode !== undefined) requestAnimationFrame(() => this.follow(this.currentNode));
      }
    });
    this.resizeObserver.observe(this.graph);
  },

  // Fit the whole drawing; a tall one that would then be too small to read (under half
  // size) fits its width instead and scrolls down, following the current node.
  fit() {
    if (!this.svg) return;
    const w = this.graph.clientWidth - 8;
    const h = this.graph.clientHeight - 8;
    const byWidth = w / (this.natural.w * 4 / 3);
    const both = Math.min(byWidth, h / (this.natural.h * 4 / 3));
    this.zoom(both < 0.5 && byWidth >= 0.5 ? Math.min(1, byWidth) : both, false);
    if (this.currentNode !== undefined) this.follow(this.currentNode);
  },
};
