// The page's behaviour: filters, search, neighbourhood, nodes added on demand, and the side panel.
// Every piece of digest text reaches the page through textContent or createTextNode, never as markup.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  // D.nodes rows: [id, kind, label, search text, cluster, day indices, size, paper/concept row, paper rows, font size]
  var ID = 0, KIND = 1, LABEL = 2, SEARCH = 3, CLUSTER = 4, DAYS = 5, SIZE = 6, LINK = 7, PAPERS = 8, FONT = 9;
  var rows = D.nodes;
  var kinds = {};
  D.kinds.forEach(function (k) { kinds[k.kind] = k; });
  var relations = {};
  D.relations.forEach(function (r) { relations[r.relation] = r; });
  var index = new Map();
  rows.forEach(function (r, i) { index.set(r[ID], i); });
  var links = rows.map(function () { return []; });
  D.edges.forEach(function (e, k) { links[e[0]].push(k); links[e[1]].push(k); });
  var paperNode = new Map();
  rows.forEach(function (r, i) { if (r[KIND] === "paper") { paperNode.set(r[LINK], i); } });
  var searchText = rows.map(function (r) { return r[SEARCH].toLowerCase().normalize("NFC"); });

  window.nodes = new vis.DataSet(D.vis_nodes);
  window.edges = new vis.DataSet(D.vis_edges);
  window.network = new vis.Network(document.getElementById("graph"), { nodes: window.nodes, edges: window.edges }, D.options);
  // Ready: drawn once (vis draws inside its constructor here) and every control wired (the script's end).
  var wired = false, drawnOnce = false;
  window.network.once("afterDrawing", function () { drawnOnce = true; if (wired) { window.kgReady = performance.now(); } });

  var state = { kinds: new Set(Object.keys(kinds)), cluster: -1, from: "", to: "", around: false, depth: 1, selected: null,
    colourBy: D.colourBy, forced: new Set() };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function short(label) { return label.length <= 40 ? label : label.slice(0, 38) + "…"; }
  function colourOf(i) {
    if (state.colourBy === "cluster") {
      var c = rows[i][CLUSTER];
      return c >= 0 && c < D.clusters.length ? D.clusters[c].colour : D.noCluster;
    }
    return kinds[rows[i][KIND]].colour;
  }
  function drawn(i) { return window.nodes.get(rows[i][ID]) !== null; }

  // ---- nodes added on demand --------------------------------------------------------------------
  var placedAround = new Map();
  function place(i) {
    var anchor = null;
    links[i].some(function (k) {
      var e = D.edges[k], j = e[0] === i ? e[1] : e[0];
      if (drawn(j)) { anchor = j; return true; }
      return false;
    });
    var centre = anchor === null ? { x: 0, y: 0 } : window.network.getPositions([rows[anchor][ID]])[rows[anchor][ID]];
    var n = (placedAround.get(anchor) || 0) + 1;
    placedAround.set(anchor, n);
    var r = 60 + 14 * Math.sqrt(n), a = n * 2.39996;
    return { x: centre.x + r * Math.cos(a), y: centre.y + r * Math.sin(a) };
  }
  function reveal(list) {
    var added = [];
    list.forEach(function (i) {
      if (drawn(i) || added.indexOf(i) !== -1) { return; }
      var k = kinds[rows[i][KIND]], at = place(i), r = rows[i];
      window.nodes.add({ id: r[ID], label: short(r[LABEL]), title: r[LABEL], shape: k.shape, color: colourOf(i),
        size: r[SIZE], x: at.x, y: at.y, group: r[KIND], font: { size: r[FONT] } });
      added.push(i);
    });
    var newEdges = [];
    added.forEach(function (i) {
      links[i].forEach(function (k) {
        var e = D.edges[k], other = e[0] === i ? e[1] : e[0];
        if (drawn(other) && window.edges.get(k) === null && newEdges.every(function (x) { return x.id !== k; })) {
          var rel = relations[e[2]] || { label: e[2], colour: "#cccccc", dashes: false, arrow: false };
          // e: [from row, to row, relation, weight, width]
          newEdges.push({ id: k, from: rows[e[0]][ID], to: rows[e[1]][ID], color: rel.colour,
            title: rel.label + (e[3] > 1 ? " (" + e[3] + ")" : ""), dashes: rel.dashes, arrows: rel.arrow ? "to" : "", width: e[4] });
        }
      });
    });
    window.edges.add(newEdges);
    updateStatus();
    return added.length;
  }
  function waiting(i) {
    return links[i].map(function (k) { var e = D.edges[k]; return e[0] === i ? e[1] : e[0]; })
      .filter(function (j) { return !drawn(j); });
  }

  // ---- filters ---------------------------------------------------------------------------------
  function neighbourhood(start, depth) {
    var seen = new Set([start]), frontier = [start];
    for (var d = 0; d < depth; d++) {
      var next = [];
      frontier.forEach(function (i) {
        links[i].forEach(function (k) {
          var e = D.edges[k], j = e[0] === i ? e[1] : e[0];
          if (!seen.has(j)) { seen.add(j); next.push(j); }
        });
      });
      frontier = next;
    }
    return seen;
  }
  function inDates(i) {
    if (!state.from && !state.to) { return true; }
    var days = rows[i][DAYS];
    if (!days.length) { return true; }
    return days.some(function (d) {
      var day = D.days[d];
      return (!state.from || day >= state.from) && (!state.to || day <= state.to);
    });
  }
  function applyFilters() {
    var around = null;
    if (state.around && state.selected !== null) {
      around = neighbourhood(state.selected, state.depth);
      var missing = Array.from(around).filter(function (i) { return !drawn(i); });
      missing.sort(function (a, b) { return rows[b][SIZE] - rows[a][SIZE]; });
      reveal(missing.slice(0, 500));
    }
    var updates = [];
    window.nodes.forEach(function (n) {
      var i = index.get(n.id);
      var show = state.forced.has(i) || (state.kinds.has(rows[i][KIND]) &&
        (state.cluster < 0 || rows[i][CLUSTER] === state.cluster) && inDates(i) && (around === null || around.has(i)));
      if (!!n.hidden === show) { updates.push({ id: n.id, hidden: !show }); }
    });
    window.nodes.update(updates);
    updateStatus();
  }
  function recolour(nodesToo) {
    if (nodesToo) {
      window.nodes.update(window.nodes.getIds().map(function (id) { return { id: id, color: colourOf(index.get(id)) }; }));
    }
    var legend = document.getElementById("cluster-legend");
    legend.replaceChildren();
    legend.hidden = state.colourBy !== "cluster" || !D.clusters.length;
    D.clusters.slice(0, 8).forEach(function (c, i) {
      var item = el("span");
      var sw = el("span", null, "swatch"); sw.style.background = c.colour;
      item.appendChild(sw); item.appendChild(document.createTextNode(" " + (i + 1) + ". " + c.label));
      legend.appendChild(item);
    });
    if (D.clusters.length > 8) { legend.appendChild(el("span", "… " + (D.clusters.length - 8) + " more (grey after 18)", "muted")); }
  }
  function updateStatus() {
    var shown = 0, drawnCount = window.nodes.length, perKind = {};
    window.nodes.forEach(function (n) {
      if (!n.hidden) { shown += 1; }
      perKind[n.group] = (perKind[n.group] || 0) + 1;
    });
    var notDrawn = rows.length - drawnCount;
    var text = "Showing " + shown.toLocaleString("en") + " of " + rows.length.toLocaleString("en") + " nodes";
    if (notDrawn) { text += "; " + notDrawn.toLocaleString("en") + " less connected ones are not drawn (search or expand a node to add them)"; }
    if (drawnCount - shown) { text += "; " + (drawnCount - shown).toLocaleString("en") + " hidden by filters"; }
    document.getElementById("status").textContent = text + ".";
    D.kinds.forEach(function (k) {
      var count = perKind[k.kind] || 0;
      var span = document.querySelector('#legend [data-count="' + k.kind + '"]');
      if (span) { span.textContent = " " + k.label + " " + count.toLocaleString("en") + (k.total > count ? " of " + k.total.toLocaleString("en") : ""); }
    });
  }

  // ---- the side panel --------------------------------------------------------------------------
  var panel = document.getElementById("panel");
  function heading(text) { panel.appendChild(el("h3", text)); }
  function action(text, then) {  // a link that runs code: href is only ever "#"
    var a = el("a", text, "link");
    a.href = "#"; a.setAttribute("role", "button");
    a.addEventListener("click", function (ev) { ev.preventDefault(); then(); });
    return a;
  }
  function nodeLink(i, text) { return action(text === undefined ? rows[i][LABEL] : text, function () { go(i); }); }
  function paperLink(p) {
    var node = paperNode.get(p);
    if (node !== undefined) { return nodeLink(node, D.papers[p][2]); }
    return action(D.papers[p][2], function () { showPaper(p, null); });
  }
  function conceptNode(c) { var i = index.get(D.concepts[c][0]); return i === undefined ? null : i; }
  function snippet(p, m) {
    // m: [concept row, section, start, end, matched text, rule, suspect]; offsets count code points.
    var paper = D.papers[p], text = null;
    if (m[1] === "title") { text = paper[2]; }
    paper[7].forEach(function (s) { if (s[0] === m[1]) { text = s[2]; } });
    var box = el("div", null, "why");
    var chars = text === null ? null : Array.from(text);
    if (chars && chars.slice(m[2], m[3]).join("") === m[4]) {
      var from = Math.max(0, m[2] - 45), to = Math.min(chars.length, m[3] + 45);
      box.appendChild(document.createTextNode((from > 0 ? "…" : "") + chars.slice(from, m[2]).join("")));
      box.appendChild(el("mark", m[4]));
      box.appendChild(document.createTextNode(chars.slice(m[3], to).join("") + (to < chars.length ? "…" : "")));
    } else {
      box.appendChild(el("mark", m[4]));
    }
    var section = m[1] === "title" ? "title" : m[1];
    box.appendChild(el("div", "in " + section + ", rule " + m[5] + (m[6] ? " · from a summary that may describe another paper" : ""), "rule"));
    return box;
  }
  function expandButton(i) {
    var more = waiting(i);
    if (!more.length) { return; }
    var b = el("button", "Add " + more.length.toLocaleString("en") + " linked node" + (more.length > 1 ? "s" : "") + " not drawn");
    b.type = "button";
    b.addEventListener("click", function () {
      more.sort(function (a, c) { return rows[c][SIZE] - rows[a][SIZE]; });
      reveal(more.slice(0, 500)); applyFilters(); showNode(i);
    });
    var box = el("div", null, "actions"); box.appendChild(b); panel.appendChild(box);
  }
  function listOf(title, items, render, limit) {
    if (!items.length) { return; }
    heading(title + (items.length > 1 ? " (" + items.length.toLocaleString("en") + ")" : ""));
    var ul = el("ul");
    var draw = function (upto) {
      ul.replaceChildren();
      items.slice(0, upto).forEach(function (item) { var li = el("li"); render(item, li); ul.appendChild(li); });
      if (items.length > upto) {
        var li = el("li");
        li.appendChild(action("show all " + items.length.toLocaleString("en"), function () { draw(items.length); }));
        ul.appendChild(li);
      }
    };
    draw(limit || 50);
    panel.appendChild(ul);
  }
  function showPaper(p, i) {
    var paper = D.papers[p];
    // paper: [id, arXiv id, title, url, votes, days, authors [name, key], sections [key, heading, text], mentions, mismatch]
    panel.replaceChildren();
    panel.appendChild(el("div", "Paper", "kind"));
    panel.appendChild(el("h2", paper[2]));
    if (/^https:\/\/arxiv\.org\/abs\/[A-Za-z0-9.\/%-]+$/.test(paper[3])) {
      var a = el("a", "arXiv " + paper[1]);
      a.href = paper[3]; a.target = "_blank"; a.rel = "noopener noreferrer";
      panel.appendChild(a);
    }
    panel.appendChild(el("p", "Votes: " + (paper[4] === null ? "–" : paper[4])));
    if (paper[5].length) { panel.appendChild(el("p", "Digest: " + paper[5].map(function (d) { return D.days[d]; }).join(", "))); }
    if (paper[9]) { panel.appendChild(el("p", "This summary may describe another paper: " + paper[9], "warn")); }
    if (i !== null) { expandButton(i); }
    listOf("Authors", paper[6], function (author, li) {
      var node = index.get(author[1]);
      li.appendChild(node === undefined ? document.createTextNode(author[0]) : nodeLink(node, author[0]));
    }, 100);
    paper[7].forEach(function (s) { heading(s[1]); panel.appendChild(el("p", s[2])); });
    var byConcept = new Map();
    paper[8].forEach(function (m) { if (!byConcept.has(m[0])) { byConcept.set(m[0], []); } byConcept.get(m[0]).push(m); });
    var concepts = Array.from(byConcept.keys()).sort(function (a, b) { return D.concepts[a][1].localeCompare(D.concepts[b][1]); });
    listOf("Mentions, and why", concepts, function (c, li) {
      var node = conceptNode(c);
      li.appendChild(node === null ? document.createTextNode(D.concepts[c][1]) : nodeLink(node, D.concepts[c][1]));
      li.appendChild(document.createTextNode(" (" + D.concepts[c][2] + ")"));
      byConcept.get(c).slice(0, 3).forEach(function (m) { li.appendChild(snippet(p, m)); });
    }, 100);
  }
  function showConcept(i) {
    var r = rows[i], c = D.concepts[r[LINK]];
    // concept: [id, label, kind, other labels, curated, broader labels, narrower labels]
    panel.replaceChildren();
    panel.appendChild(el("div", c[2] + (c[4] ? "" : " (discovered in the digests, not in the vocabulary)"), "kind"));
    panel.appendChild(el("h2", c[1]));
    if (c[3].length) { panel.appendChild(el("p", "Also called: " + c[3].join(", "))); }
    if (c[5].length) { panel.appendChild(el("p", "Broader: " + c[5].join(", "))); }
    if (c[6].length) { panel.appendChild(el("p", "Narrower: " + c[6].join(", "))); }
    expandButton(i);
    listOf("Papers, and why", r[PAPERS], function (p, li) {
      li.appendChild(paperLink(p));
      D.papers[p][8].filter(function (m) { return m[0] === r[LINK]; }).slice(0, 2)
        .forEach(function (m) { li.appendChild(snippet(p, m)); });
    }, 30);
  }
  function showPerson(i) {
    var r = rows[i];
    panel.replaceChildren();
    panel.appendChild(el("div", "Author", "kind"));
    panel.appendChild(el("h2", r[LABEL]));
    if (r[CLUSTER] >= 0 && r[CLUSTER] < D.clusters.length) {
      panel.appendChild(el("p", (D.view === "coauthor" ? "Community: " : "Topic: ") + D.clusters[r[CLUSTER]].label));
    }
    expandButton(i);
    listOf("Papers", r[PAPERS], function (p, li) { li.appendChild(paperLink(p)); }, 50);
    var joint = new Map();  // co-authors from the papers themselves, whatever links the view draws
    r[PAPERS].forEach(function (p) {
      D.papers[p][6].forEach(function (a) {
        if (a[1] === r[ID]) { return; }
        if (!joint.has(a[1])) { joint.set(a[1], [a[0], 0]); }
        joint.get(a[1])[1] += 1;
      });
    });
    var co = Array.from(joint.entries()).sort(function (a, b) { return b[1][1] - a[1][1] || a[1][0].localeCompare(b[1][0]); });
    listOf("Co-authors (joint papers)", co, function (x, li) {
      var node = index.get(x[0]);
      li.appendChild(node === undefined ? document.createTextNode(x[1][0]) : nodeLink(node, x[1][0]));
      li.appendChild(document.createTextNode(" " + x[1][1]));
    }, 30);
  }
  function showNode(i) {
    var kind = rows[i][KIND];
    if (kind === "paper") { showPaper(rows[i][LINK], i); } else if (kind === "person") { showPerson(i); } else { showConcept(i); }
  }
  function go(i) {
    if (!drawn(i)) { reveal([i]); }
    var n = window.nodes.get(rows[i][ID]);
    if (n.hidden) { state.forced.add(i); window.nodes.update({ id: n.id, hidden: false }); updateStatus(); }
    state.selected = i;
    window.network.selectNodes([rows[i][ID]]);
    window.network.focus(rows[i][ID], { scale: Math.max(window.network.getScale(), 1.0), animation: false });
    if (state.around) { applyFilters(); }
    showNode(i);
  }
  window.kgGo = function (id) { var i = index.get(id); if (i !== undefined) { go(i); } };
  window.network.on("click", function (params) {
    if (params.nodes.length) {
      state.selected = index.get(params.nodes[0]);
      showNode(state.selected);
      if (state.around) { applyFilters(); }
    }
  });

  // ---- controls --------------------------------------------------------------------------------
  var legend = document.getElementById("legend");
  D.kinds.forEach(function (k) {
    var label = el("label");
    var box = el("input"); box.type = "checkbox"; box.checked = true; box.dataset.kind = k.kind;
    var sw = el("span", null, "swatch"); sw.style.background = k.colour;
    label.appendChild(box); label.appendChild(sw);
    var count = el("span"); count.dataset.count = k.kind; label.appendChild(count);
    box.addEventListener("change", function () {
      if (box.checked) { state.kinds.add(k.kind); } else { state.kinds.delete(k.kind); }
      state.forced.clear(); applyFilters();
    });
    legend.appendChild(label);
  });
  var edgeLegend = document.getElementById("edge-legend");
  D.relations.forEach(function (r) {
    var item = el("span");
    var line = el("span", null, "line" + (r.dashes ? " dashed" : "")); line.style.borderTopColor = r.colour;
    item.appendChild(line); item.appendChild(document.createTextNode(r.label + (r.arrow ? " →" : "")));
    edgeLegend.appendChild(item);
  });
  var colourBy = document.getElementById("colour-by");
  colourBy.value = state.colourBy;
  colourBy.disabled = !D.clusters.length;
  colourBy.addEventListener("change", function () { state.colourBy = colourBy.value; recolour(true); });
  var clusterSelect = document.getElementById("cluster");
  var members = D.clusters.map(function () { return 0; });
  rows.forEach(function (r) { if (r[CLUSTER] >= 0 && r[CLUSTER] < members.length) { members[r[CLUSTER]] += 1; } });
  D.clusters.slice(0, 300).forEach(function (c, i) {
    var o = el("option", (i + 1) + ". " + c.label + " (" + members[i].toLocaleString("en") + ")");
    o.value = String(i); clusterSelect.appendChild(o);
  });
  clusterSelect.disabled = !D.clusters.length;
  clusterSelect.addEventListener("change", function () {
    state.cluster = parseInt(clusterSelect.value, 10);
    if (state.cluster >= 0) {  // draw the cluster's strongest members too
      var wanted = [];
      rows.forEach(function (r, i) { if (r[CLUSTER] === state.cluster && !drawn(i)) { wanted.push(i); } });
      wanted.sort(function (a, b) { return rows[b][SIZE] - rows[a][SIZE]; });
      reveal(wanted.slice(0, 300));
    }
    state.forced.clear(); applyFilters();
  });
  var from = document.getElementById("date-from"), to = document.getElementById("date-to");
  if (D.days.length) {
    [from, to].forEach(function (input) { input.min = D.days[0]; input.max = D.days[D.days.length - 1]; });
  } else { from.disabled = to.disabled = true; }
  function dates() { state.from = from.value; state.to = to.value; state.forced.clear(); applyFilters(); }
  from.addEventListener("change", dates); to.addEventListener("change", dates);
  var around = document.getElementById("around"), depth = document.getElementById("depth");
  around.addEventListener("change", function () { state.around = around.checked; applyFilters(); });
  depth.addEventListener("change", function () { state.depth = parseInt(depth.value, 10); applyFilters(); });
  document.getElementById("reset").addEventListener("click", function () {
    state.kinds = new Set(Object.keys(kinds)); state.cluster = -1; state.from = state.to = ""; state.around = false;
    state.forced.clear();
    legend.querySelectorAll("input").forEach(function (b) { b.checked = true; });
    clusterSelect.value = "-1"; from.value = to.value = ""; around.checked = false;
    applyFilters();
  });

  var matches = [], cursor = 0, lastQuery = "";
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = document.getElementById("search").value.trim().toLowerCase().normalize("NFC");
    var status = document.getElementById("search-status");
    if (!q) { status.textContent = ""; return; }
    if (q !== lastQuery) {
      lastQuery = q; cursor = 0;
      // Exact label or abbreviation first, then labels starting with the query, then the rest;
      // drawn nodes before those waiting, larger first.
      var found = [];
      searchText.forEach(function (text, i) {
        if (text.indexOf(q) === -1) { return; }
        var labels = text.split("\n");
        var rank = labels.indexOf(q) !== -1 ? 0 : labels.some(function (l) { return l.indexOf(q) === 0; }) ? 1 : 2;
        found.push([rank, drawn(i) ? 0 : 1, -rows[i][SIZE], i]);
      });
      found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3]; });
      matches = found.map(function (f) { return f[3]; });
    } else { cursor = (cursor + 1) % Math.max(matches.length, 1); }
    if (!matches.length) { status.textContent = "no match"; return; }
    status.textContent = (cursor + 1) + " of " + matches.length.toLocaleString("en");
    go(matches[cursor]);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { window.network.unselectAll(); state.selected = null; if (state.around) { applyFilters(); } }
  });

  recolour(false);  // the drawn nodes come coloured
  updateStatus();
  if (D.centre !== null && index.has(D.centre)) {  // an ego view: the whole of it in sight, its centre selected
    state.selected = index.get(D.centre);
    window.network.selectNodes([D.centre]);
    showNode(state.selected);
  }
  wired = true;
  if (drawnOnce) { window.kgReady = performance.now(); }
})();
