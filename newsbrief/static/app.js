// newsbrief web page. No framework, no external resources.
// Every piece of text from an article or a brief is untrusted: it is only ever put in the page
// with textContent / text nodes, never innerHTML; links are made only for http(s) URLs.
"use strict";

(function () {
  const CORE = new Set(["id", "created_at", "title", "words", "summary_words", "summary", "articles", "warnings"]);
  const PRIMARY = ["text", "quote", "claim", "statement", "event", "display", "attribute", "term", "summary",
    "description", "name", "title", "label", "value"];
  const SPAN_KEYS = ["citations", "citation", "spans", "span", "sentences"];
  const HIDDEN_KEYS = new Set(["claim", "notability", "speaker_resolved", "estimated", "precision", "source_label", "id",
    "similarity"]);
  const OPEN_SECTIONS = new Set(["conflicts", "quotes", "timeline"]);
  const FIRST_ITEMS = 6; // longer lists show these and a "Show all" button
  const PAGE = 20;

  const $ = (sel) => document.querySelector(sel);
  let current = null; // the brief shown
  let articleById = new Map();
  let savedOffset = 0;

  // -- DOM helpers ---------------------------------------------------------------------------
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === "class") node.className = v;
        else if (k === "text") node.textContent = String(v);
        else if (k === "dataset") Object.assign(node.dataset, v);
        else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
        else if (k === "href") { const u = safeUrl(v); if (u) node.href = u; }
        else node.setAttribute(k, String(v));
      }
    }
    for (const c of children) append(node, c);
    return node;
  }
  function append(node, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) { child.forEach((c) => append(node, c)); return; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function safeUrl(u) {
    if (typeof u !== "string" || !u.trim()) return null;
    try {
      const url = new URL(u.trim(), window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) { return null; }
  }
  function humanize(key) {
    const s = String(key).replace(/[_-]+/g, " ").trim();
    return s.charAt(0).toUpperCase() + s.slice(1);
  }
  function fmtDate(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toLocaleString();
  }
  function setStatus(msg, kind) {
    const s = $("#status");
    s.textContent = msg || "";
    s.className = kind || "";
    s.setAttribute("role", kind === "error" ? "alert" : "status");
  }

  // -- API -------------------------------------------------------------------------------------
  async function api(method, path, body) {
    const res = await fetch(path, { method, body, headers: { Accept: "application/json" } });
    if (res.status === 204) return null;
    let data = null;
    try { data = await res.json(); } catch (e) { /* not JSON */ }
    if (!res.ok) {
      const msg = data && data.error ? data.error : `HTTP ${res.status}`;
      throw new Error(msg);
    }
    return data;
  }

  // -- the form ----------------------------------------------------------------------------------
  function addArticleInput(focus) {
    const tpl = $("#article-input-template");
    const fs = tpl.content.firstElementChild.cloneNode(true);
    fs.querySelector(".a-remove").addEventListener("click", () => {
      fs.remove();
      renumberInputs();
      if (!document.querySelector(".article-input")) addArticleInput(false);
    });
    $("#article-inputs").appendChild(fs);
    renumberInputs();
    if (focus) fs.querySelector(".a-text").focus();
    return fs;
  }
  function renumberInputs() {
    document.querySelectorAll(".article-input").forEach((fs, i) => {
      fs.querySelector("legend").textContent = `Article ${i + 1}`;
      fs.querySelector(".a-text").setAttribute("aria-label", `Article ${i + 1} text`);
    });
  }
  function collectArticles() {
    const out = [];
    document.querySelectorAll(".article-input").forEach((fs) => {
      const text = fs.querySelector(".a-text").value;
      if (!text.trim()) return;
      const a = { text };
      for (const f of ["title", "source", "date", "url"]) {
        const v = fs.querySelector(".a-" + f).value.trim();
        if (v) a[f] = v;
      }
      out.push(a);
    });
    return out;
  }
  async function submit(ev) {
    ev.preventDefault();
    const articles = collectArticles();
    const files = $("#files").files;
    if (!articles.length && !files.length) {
      setStatus("Paste at least one article or choose files.", "error");
      return;
    }
    const fd = new FormData();
    if (articles.length) fd.append("articles", JSON.stringify(articles));
    for (const f of files) fd.append("files", f, f.name);
    fd.append("words", $("#words").value || "150");
    const btn = $("#submit");
    btn.disabled = true;
    setStatus(`Briefing ${articles.length + files.length} input(s)…`, "busy");
    const t0 = performance.now();
    try {
      const brief = await api("POST", "/api/briefs", fd);
      renderBrief(brief);
      setStatus(`Done in ${((performance.now() - t0) / 1000).toFixed(1)} s.`, "ok");
      history.replaceState(null, "", "#brief=" + encodeURIComponent(brief.id));
      loadSaved(true);
      $("#brief").scrollIntoView({ block: "start" });
    } catch (e) {
      setStatus("Error: " + e.message, "error");
    } finally {
      btn.disabled = false;
    }
  }
  function resetForm() {
    clear($("#article-inputs"));
    addArticleInput(false);
    $("#files").value = "";
    setStatus("");
  }

  // -- the brief ------------------------------------------------------------------------------
  function renderBrief(b) {
    current = b;
    articleById = new Map((b.articles || []).map((a, i) => [String(a.id), { ...a, number: i + 1 }]));
    $("#brief").hidden = false;
    $("#brief-title").textContent = b.title || "Brief";
    const meta = $("#brief-meta");
    clear(meta);
    const n = (b.articles || []).length;
    append(meta, `${b.summary_words != null ? b.summary_words : "?"} of ${b.words} words · ${n} article${n === 1 ? "" : "s"}`);
    if (b.created_at) append(meta, ` · saved ${fmtDate(b.created_at)}`);
    if (b.id) {
      append(meta, " · ");
      append(meta, el("a", { href: `/api/briefs/${encodeURIComponent(b.id)}?format=markdown`, text: "Markdown" }));
      append(meta, " · ");
      append(meta, el("a", { href: `/api/briefs/${encodeURIComponent(b.id)}`, text: "JSON" }));
    }
    renderSummary(b);
    const warnings = b.warnings || [];
    $("#warnings").hidden = !warnings.length;
    const wl = $("#warning-list");
    clear(wl);
    warnings.forEach((w) => wl.appendChild(el("li", { text: typeof w === "string" ? w : JSON.stringify(w) })));
    renderAnalysis(b);
    renderArticles(b);
  }

  function citeButton(articleId, span, owner) {
    const a = articleById.get(String(articleId));
    const label = a ? `[${a.number}]` : "[?]";
    const name = a ? (a.source || a.title || a.id) : String(articleId);
    return el("button", {
      type: "button",
      class: "cite",
      text: label,
      title: `Show the source sentence in ${name}`,
      "aria-label": `Source ${a ? a.number : "?"}: ${name}`,
      dataset: { article: String(articleId) },
      onclick: (ev) => {
        ev.preventDefault();
        cite(articleId, span, ev.currentTarget, owner);
      },
    });
  }

  function renderSummary(b) {
    const ol = $("#summary");
    clear(ol);
    (b.summary || []).forEach((s, i) => {
      const li = el("li", { class: "sentence", id: `s-${i}` }, el("span", { class: "s-text", text: s.text }), " ");
      const spans = s.spans || [];
      const kinds = s.support_kinds || [];
      for (const src of s.sources || []) {
        const k = spans.findIndex((p) => String(p.article) === String(src));
        const button = citeButton(src, k >= 0 ? spans[k] : null, li);
        if (kinds[k] === "paraphrase") {  // the source says it in other words: not highlighted as a copy
          button.classList.add("paraphrase");
          button.textContent += "≈";
          button.title += " (in other words)";
        }
        li.appendChild(button);
      }
      if ((s.disputed || []).length) {
        li.appendChild(el("span", { class: "disputed", text: "disputed by other sources (see the conflicts)" }));
      }
      const support = s.support != null ? s.support : (s.sources || []).length;
      if (support > 1) li.appendChild(el("span", { class: "support", text: `${support} sources` }));
      ol.appendChild(li);
    });
  }

  // Analysis sections (conflicts, quotes, timeline, …) have no fixed shape here: render what is
  // there, generically. Spans ({article, start, end}) anywhere become citation buttons.
  function renderAnalysis(b) {
    const box = $("#analysis");
    clear(box);
    for (const [key, value] of Object.entries(b)) {
      if (CORE.has(key) || value === null || value === undefined) continue;
      if (Array.isArray(value) && !value.length) continue;
      if (typeof value === "object" && !Array.isArray(value) && !Object.keys(value).length) continue;
      const n = Array.isArray(value) ? value.length : null;
      const sec = el("details", { class: "analysis", dataset: { section: key } },
        el("summary", null, el("h3", { text: humanize(key) + (n != null ? ` (${n})` : "") })));
      sec.open = OPEN_SECTIONS.has(key);
      sec.appendChild(renderValue(value, 0, null));
      box.appendChild(sec);
    }
  }
  function isSpan(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v) && "article" in v &&
      Number.isInteger(v.start) && Number.isInteger(v.end);
  }
  function spanList(v) {
    if (isSpan(v)) return [v];
    if (Array.isArray(v) && v.length && v.every(isSpan)) return v;
    return null;
  }
  // the first span of article `id` anywhere inside `v` (for an item citing a source without a span)
  function deepSpan(v, id, depth) {
    if (v === null || typeof v !== "object" || depth > 6) return null;
    if (isSpan(v) && String(v.article) === id) return v;
    for (const x of Array.isArray(v) ? v : Object.values(v)) {
      const found = deepSpan(x, id, depth + 1);
      if (found) return found;
    }
    return null;
  }
  function renderValue(v, depth, owner) {
    if (v === null || v === undefined) return el("span", { class: "muted", text: "—" });
    if (typeof v !== "object") return document.createTextNode(String(v));
    if (depth > 5) return el("code", { text: JSON.stringify(v) });
    if (Array.isArray(v)) {
      if (v.every((x) => x === null || typeof x !== "object")) return document.createTextNode(v.join(", "));
      const ul = el("ul", { class: "items" });
      const add = (item) => {
        const li = el("li");
        li.appendChild(renderItem(item, depth + 1, null));
        ul.appendChild(li);
      };
      const cut = depth === 0 && v.length > FIRST_ITEMS + 2 ? FIRST_ITEMS : v.length;
      v.slice(0, cut).forEach(add);
      if (cut === v.length) return ul;
      const more = el("button", {
        type: "button", class: "link more", text: `Show all ${v.length}`,
        onclick: () => { v.slice(cut).forEach(add); more.remove(); },
      });
      return el("div", null, ul, more);
    }
    return renderItem(v, depth + 1, owner);
  }
  function renderItem(item, depth, owner) {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return renderValue(item, depth, owner);
    const box = el("div", { class: "item" });
    owner = owner || box;
    const used = new Set();
    const line = el("div", { class: "item-line" });
    // a date first (timelines), then the main text, then who said it (quotes)
    const when = typeof item.label === "string" && item.date ? item.label : (typeof item.date === "string" ? item.date : null);
    const pk = PRIMARY.find((k) => typeof item[k] === "string" && item[k] !== when);
    if (when && pk) {
      line.appendChild(el("strong", { class: "item-date", text: when }));
      append(line, " ");
      used.add("date"); used.add("label");
    }
    if (pk) {
      const quoted = pk === "quote" || (pk === "text" && typeof item.speaker === "string");
      line.appendChild(el("span", { class: "item-text", text: quoted ? `“${item[pk]}”` : item[pk] }));
      used.add(pk);
    }
    if (typeof item.speaker === "string" && item.speaker) {
      const role = typeof item.speaker_role === "string" && item.speaker_role ? `, ${item.speaker_role}` : "";
      line.appendChild(el("span", { class: "item-who", text: ` — ${item.speaker}${role}` }));
      used.add("speaker"); used.add("speaker_role");
    }
    // citations: the item itself if it is a span, then its span-valued fields
    const cites = el("span", { class: "cites" });
    const cited = new Set();
    const addCite = (id, span) => {
      const key = String(id);
      if (cited.has(key) || !articleById.has(key)) return;
      cited.add(key);
      cites.appendChild(citeButton(id, span, owner));
    };
    if (isSpan(item)) {
      addCite(item.article, item);
      ["article", "start", "end", "text"].forEach((k) => used.add(k));
    }
    for (const k of SPAN_KEYS) {
      const list = spanList(item[k]);
      if (!list) continue;
      used.add(k);
      if (k !== "sentences" || !cited.size) list.forEach((sp) => addCite(sp.article, sp));
    }
    for (const [k, v] of Object.entries(item)) {
      if (used.has(k)) continue;
      const list = spanList(v);
      if (list) { used.add(k); list.forEach((sp) => addCite(sp.article, sp)); }
    }
    for (const k of ["sources", "articles"]) {
      if (Array.isArray(item[k]) && item[k].every((x) => x === null || typeof x !== "object")) {
        item[k].forEach((id) => addCite(id, deepSpan(item, String(id), 0)));
        used.add(k);
      }
    }
    if (typeof item.article === "string" && articleById.has(item.article)) {
      addCite(item.article, deepSpan(item, item.article, 0));
      used.add("article");
    }
    if (cites.childNodes.length) { append(line, " "); line.appendChild(cites); }
    if (line.childNodes.length) box.appendChild(line);
    const rest = Object.entries(item).filter(([k, v]) => !used.has(k) && !HIDDEN_KEYS.has(k) && v !== null && v !== "" &&
      !(Array.isArray(v) && !v.length));
    const scalar = (v) => v === null || typeof v !== "object" || (Array.isArray(v) && v.every((x) => x === null || typeof x !== "object"));
    const simple = rest.filter(([, v]) => scalar(v));
    const nested = rest.filter(([, v]) => !scalar(v));
    if (simple.length) {
      const meta = el("div", { class: "item-meta" });
      simple.forEach(([k, v], i) => {
        if (i) append(meta, " · ");
        append(meta, `${humanize(k)}: ${Array.isArray(v) ? v.join(", ") : v}`);
      });
      box.appendChild(meta);
    }
    if (nested.length) {
      const dl = el("dl", { class: "kv" });
      for (const [k, val] of nested) {
        dl.appendChild(el("dt", { text: humanize(k) }));
        dl.appendChild(el("dd", null, renderValue(val, depth, null)));
      }
      box.appendChild(dl);
    }
    return box;
  }

  function renderArticles(b) {
    const box = $("#articles");
    clear(box);
    (b.articles || []).forEach((a, i) => {
      const num = i + 1;
      const col = el("article", { class: "article", id: `article-${num}`, dataset: { article: String(a.id) } });
      const head = el("header", { class: "a-head" },
        el("span", { class: "a-num", text: `[${num}]` }), " ",
        el("span", { class: "a-title", text: a.title || a.source || a.id }));
      col.appendChild(head);
      const metaBits = [a.source, a.date].filter(Boolean).join(" · ");
      const meta = el("div", { class: "a-meta-line" }, metaBits);
      const href = safeUrl(a.url);
      if (href) {
        if (metaBits) append(meta, " · ");
        meta.appendChild(el("a", { href, text: "original", target: "_blank", rel: "noopener noreferrer nofollow" }));
      } else if (a.url) {
        if (metaBits) append(meta, " · ");
        meta.appendChild(el("span", { class: "muted", text: a.url, title: "not a web link" }));
      }
      col.appendChild(meta);
      const removed = a.removed || [];
      const det = el("details", { class: "removed" },
        el("summary", { text: removed.length ? `Removed by the cleaner (${removed.length})` : "Nothing removed by the cleaner" }));
      if (removed.length) {
        const ul = el("ul");
        removed.forEach((r) => {
          ul.appendChild(el("li", null,
            el("span", { class: "r-reason", text: (r.reason || "removed") + (r.line != null ? ` · line ${r.line}` : "") }),
            el("span", { class: "r-text", text: r.text || "" })));
        });
        det.appendChild(ul);
      }
      col.appendChild(det);
      const body = el("div", { class: "a-body", tabindex: "0", "aria-label": `Text of article ${num}` });
      body.textContent = a.text || "";
      col.appendChild(body);
      box.appendChild(col);
    });
  }

  // Show `span` (character offsets into the article's text) highlighted in its article.
  function cite(articleId, span, button, owner) {
    const a = articleById.get(String(articleId));
    if (!a) return;
    document.querySelectorAll(".article.active").forEach((n) => n.classList.remove("active"));
    document.querySelectorAll(".cite.active").forEach((n) => { n.classList.remove("active"); n.setAttribute("aria-pressed", "false"); });
    document.querySelectorAll(".sentence.active, .item.active").forEach((n) => n.classList.remove("active"));
    // restore every article body to plain text
    document.querySelectorAll(".article .a-body mark").forEach((m) => {
      const body = m.parentNode;
      const art = articleById.get(body.parentNode.dataset.article);
      body.textContent = (art && art.text) || "";
    });
    button.classList.add("active");
    button.setAttribute("aria-pressed", "true");
    if (owner) owner.classList.add("active");
    const col = document.querySelector(`#article-${a.number}`);
    if (!col) return;
    col.classList.add("active");
    const body = col.querySelector(".a-body");
    const text = a.text || "";
    if (span && Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.end <= text.length && span.start < span.end) {
      clear(body);
      body.appendChild(document.createTextNode(text.slice(0, span.start)));
      const kind = button.classList.contains("paraphrase") ? "hl paraphrase" : "hl";  // a paraphrase is not a copy
      const mark = el("mark", { class: kind, id: "highlight", text: text.slice(span.start, span.end) });
      body.appendChild(mark);
      body.appendChild(document.createTextNode(text.slice(span.end)));
      mark.scrollIntoView({ block: "center", inline: "nearest" });
    } else {
      body.scrollTop = 0;
      col.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }

  // -- saved briefs -----------------------------------------------------------------------------
  async function loadSaved(reset) {
    if (reset) savedOffset = 0;
    let page;
    try {
      page = await api("GET", `/api/briefs?limit=${PAGE}&offset=${savedOffset}`);
    } catch (e) {
      return;
    }
    const ul = $("#saved-list");
    if (reset) clear(ul);
    if (!page.items.length && reset) ul.appendChild(el("li", { class: "muted", text: "None yet." }));
    page.items.forEach((it) => {
      const li = el("li", { dataset: { id: it.id } },
        el("a", {
          href: "#brief=" + encodeURIComponent(it.id), class: "saved-open", text: it.title || "(untitled brief)",
          onclick: (ev) => { ev.preventDefault(); history.replaceState(null, "", "#brief=" + encodeURIComponent(it.id)); openBrief(it.id); },
        }),
        el("div", { class: "meta", text: `${it.n_articles} articles · ${it.summary_words} words · ${fmtDate(it.created_at)}` }),
        el("button", { type: "button", class: "link delete", text: "Delete", "aria-label": "Delete this brief", onclick: () => removeBrief(it.id) }));
      ul.appendChild(li);
    });
    savedOffset = page.next_offset == null ? savedOffset + page.items.length : page.next_offset;
    $("#saved-more").hidden = page.next_offset == null;
  }
  async function openBrief(id) {
    try {
      setStatus("Loading…", "busy");
      const b = await api("GET", `/api/briefs/${encodeURIComponent(id)}`);
      renderBrief(b);
      setStatus("");
    } catch (e) {
      setStatus("Error: " + e.message, "error");
    }
  }
  async function removeBrief(id) {
    try {
      await api("DELETE", `/api/briefs/${encodeURIComponent(id)}`);
      if (current && current.id === id) {
        $("#brief").hidden = true;
        current = null;
        history.replaceState(null, "", "#");
      }
      loadSaved(true);
    } catch (e) {
      setStatus("Error: " + e.message, "error");
    }
  }
  function fromHash() {
    const m = /^#brief=([A-Za-z0-9_-]+)$/.exec(window.location.hash);
    if (m) openBrief(m[1]);
  }

  document.addEventListener("DOMContentLoaded", () => {
    addArticleInput(false);
    $("#add-article").addEventListener("click", () => addArticleInput(true));
    $("#brief-form").addEventListener("submit", submit);
    $("#clear").addEventListener("click", resetForm);
    $("#saved-more").addEventListener("click", () => loadSaved(false));
    window.addEventListener("hashchange", fromHash);
    fetch("/api/health").then((r) => r.json()).then((h) => {
      if (h && h.limits) {
        const w = $("#words");
        w.min = h.limits.min_words; w.max = h.limits.max_words;
        const L = h.limits;
        $("#limits").textContent = `Up to ${L.max_articles} articles of at most ${L.max_article_chars.toLocaleString()} characters each; ` +
          `a brief may take ${L.time_limit} s.`;
      }
    }).catch(() => {});
    loadSaved(true);
    fromHash();
    document.body.dataset.ready = "1";
  });
})();
