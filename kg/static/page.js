// The query page: an editor, the competency questions as examples, results as a table.
// No third-party code and no network beyond this server, so it works offline.
"use strict";

const state = { prefixes: {}, base: "" };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

function shorten(iri) {
  if (state.base && iri.startsWith(state.base)) return "id:" + iri.slice(state.base.length);
  for (const [p, ns] of Object.entries(state.prefixes)) {
    if (iri.startsWith(ns)) return p + ":" + iri.slice(ns.length);
  }
  return iri;
}

// A result's IRI becomes a link only where a click is safe: the graph's own resources (served
// here under /id/) and http(s) IRIs. Any other scheme (javascript:, data:, file: ...) stays text.
function href(iri) {
  if (state.base && iri.startsWith(state.base)) return "/id/" + iri.slice(state.base.length);
  return /^https?:\/\//i.test(iri) ? iri : null;
}

function cell(term) {
  const td = el("td");
  if (!term) return td;
  if (term.type === "uri") {
    const target = href(term.value);
    if (target === null) td.append(el("span", { title: term.value }, shorten(term.value)));
    else td.append(el("a", { href: target, title: term.value, rel: "noopener noreferrer" }, shorten(term.value)));
  } else if (term.type === "bnode") {
    td.append("_:" + term.value);
  } else {
    td.append(term.value);
    if (term["xml:lang"]) td.append(el("span", { class: "lang" }, " @" + term["xml:lang"]));
    const dt = term.datatype;
    if (dt && /#(integer|decimal|double|float|long|int)$/.test(dt)) td.className = "num";
    else if (dt && !dt.endsWith("#string") && !dt.endsWith("#langString")) {
      td.append(el("span", { class: "dt" }, " " + shorten(dt)));
    }
  }
  return td;
}

function showTable(data, truncated) {
  const out = $("results");
  out.replaceChildren();
  if (typeof data.boolean === "boolean") {
    out.append(el("p", { class: "boolean" }, "ASK: " + data.boolean));
    return 1;
  }
  const vars = data.head.vars;
  const rows = data.results.bindings;
  const table = el("table", { class: "results" });
  table.append(el("thead", {}, el("tr", {}, ...vars.map((v) => el("th", {}, v)))));
  const body = el("tbody");
  for (const row of rows) body.append(el("tr", {}, ...vars.map((v) => cell(row[v]))));
  table.append(body);
  if (truncated) out.append(el("p", { class: "truncated" }, "Only the first " + rows.length + " rows are shown: the server's row cap."));
  out.append(table);
  return rows.length;
}

function caretTo(line, column) {
  const q = $("query");
  const lines = q.value.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  offset += Math.max(0, column - 1);
  q.focus();
  q.setSelectionRange(offset, offset);
}

async function run() {
  const query = $("query").value;
  $("error").hidden = true;
  $("status").textContent = "running…";
  $("run").disabled = true;
  const started = performance.now();
  try {
    const response = await fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: new URLSearchParams({ query }),
    });
    const ms = Math.round(performance.now() - started);
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      $("results").replaceChildren();          // an error replaces the last query's answer
      const problem = type.includes("json") ? await response.json() : { message: await response.text() };
      const where = problem.line ? " (line " + problem.line + ", column " + problem.column + ")" : "";
      $("error").textContent = response.status + " " + (problem.error || "") + where + "\n" + problem.message;
      $("error").hidden = false;
      $("status").textContent = "";
      if (problem.line) caretTo(problem.line, problem.column);
      return;
    }
    const truncated = response.headers.get("X-Truncated") === "true";
    if (type.includes("sparql-results+json")) {
      const n = showTable(await response.json(), truncated);
      $("status").textContent = n + (n === 1 ? " row" : " rows") + " in " + ms + " ms";
    } else {
      const text = await response.text();
      $("results").replaceChildren(el("pre", { class: "graph" }, text));
      $("status").textContent = "graph in " + ms + " ms";
    }
    history.replaceState(null, "", "?query=" + encodeURIComponent(query));
  } catch (e) {
    $("results").replaceChildren();
    $("error").textContent = "The server did not answer: " + e;
    $("error").hidden = false;
    $("status").textContent = "";
  } finally {
    $("run").disabled = false;
  }
}

function declarePrefixes() {
  const q = $("query");
  const declared = new Set([...q.value.matchAll(/PREFIX\s+([\w.-]*):/gi)].map((m) => m[1]));
  const missing = Object.entries(state.prefixes).filter(([p]) => !declared.has(p))
    .map(([p, ns]) => "PREFIX " + p + ": <" + ns + ">\n").join("");
  q.value = missing + q.value;
}

async function init() {
  $("endpoint").textContent = location.origin + "/sparql";
  const data = await (await fetch("/examples")).json();
  state.prefixes = data.prefixes;
  state.base = data.base;
  $("prefix-list").textContent = "Known prefixes: " + Object.keys(data.prefixes).join(", ") + ".";
  const list = $("examples");
  data.examples.forEach((ex) => {
    const button = el("button", { type: "button", "data-example": ex.id, title: ex.id }, ex.title);
    button.addEventListener("click", () => { $("query").value = ex.query; run(); });
    list.append(el("li", {}, button));
  });
  const asked = new URLSearchParams(location.search).get("query");
  if (asked) { $("query").value = asked; run(); }
  else if (data.examples.length) $("query").value = data.examples[0].query;
}

$("run").addEventListener("click", run);
$("prefixes").addEventListener("click", declarePrefixes);
$("query").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
  if (e.key === "Tab" && !e.shiftKey) {
    e.preventDefault();
    const q = e.target, s = q.selectionStart;
    q.setRangeText("  ", s, q.selectionEnd, "end");
  }
});
init();
