// newsbrief web page. No framework, no external resources.
// Every piece of text from an article or a brief is untrusted: it is only ever put in the page
// with textContent / text nodes, never innerHTML; links are made only for http(s) URLs.
//
// The brief is laid out as the Markdown and HTML reports are (newsbrief/render.py): the same
// sections, in the same order, with the same titles (a test holds TITLES equal to
// render.SECTION_TITLES). No internal field name or id is shown; a section added to the analysis
// later is shown generically (its items' main words and their citations).
"use strict";

(function () {
  const TITLES = {
    summary: "Summary",
    conflicts: "Where the sources disagree",
    agreements: "Same figure, different wording",
    quotes: "Who said what",
    single_source: "Reported by one outlet only",
    consensus: "What the sources agree on",
    timeline: "Timeline",
    entities: "People, organisations and places",
    framing: "Wording",
    outlets: "Sources",
    over_time: "Changed over time",
    changes: "What changed since the earlier coverage",
  };
  const ORDER = ["conflicts", "over_time", "agreements", "quotes", "single_source", "consensus", "timeline", "entities", "framing"];
  // keys of the brief JSON that are not analysis sections
  const CORE = new Set(["id", "created_at", "title", "words", "summary_words", "summary", "articles", "warnings",
    "outlets", "stories", "provenance", "query", "since", "saved", "error", "mode", "answered", "earlier_articles",
    "changes", "since_briefs"]);
  const SHOWN = { quotes: 10, entities: 12 }; // longer sections show these first and "+N more"
  const PRIMARY = ["text", "event", "statement", "summary", "description", "attribute", "term", "name", "label",
    "title", "display"];
  const ENTITY_TYPES = { person: "person", organization: "organisation", organisation: "organisation", place: "place" };
  const UNNAMED = "unnamed outlet";
  const PAGE = 20;
  const NARROW = window.matchMedia("(max-width: 900px)");

  const $ = (sel) => document.querySelector(sel);
  let current = null; // the brief shown
  let articleById = new Map();
  let savedOffset = 0;
  let lastForm = null; // the last submitted articles (to brief another story of them)
  let lastCite = null; // the citation button whose source is shown
  let droppedFiles = []; // files chosen or dropped, in order
  let updating = null; // {id, title}: the saved brief the next brief is an update of ("Update this brief")

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
  function titleFor(key) {
    if (TITLES[key]) return TITLES[key];
    const s = String(key).replace(/_/g, " ").trim();
    return s.charAt(0).toUpperCase() + s.slice(1);
  }
  function plural(n, one, many) { return `${n} ${n === 1 ? one : (many || one + "s")}`; }
  function cap(s) { s = String(s || ""); return s.charAt(0).toUpperCase() + s.slice(1); }
  function fmtDate(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toLocaleString();
  }
  function dayLabel(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    if (!m) return iso || "";
    const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
      "October", "November", "December"];
    return `${Number(m[3])} ${months[Number(m[2]) - 1]} ${m[1]}`;
  }
  // a leading agency dateline, as newsbrief.outlets.strip_dateline removes it
  const DATELINE = /^[\s"“]*(?:[A-Z][A-Za-z.'’ -]{1,40}?(?:,\s*[A-Z][A-Za-z.' ]{1,20}?)?(?:,\s*\w{3,9}\.?\s+\d{1,2})?\s*)?\((?:AFP|Reuters|AP|UPI|Xinhua|dpa|IRNA|EFE|ANSA|Kyodo|Yonhap|TASS|CNN|BBC)\)\s*(?:--|[-–—_:])+\s*/;
  function stripDateline(t) { return String(t || "").replace(DATELINE, ""); }
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
      const err = new Error(msg);
      err.body = data;
      throw err;
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
  function addFiles(list) {
    for (const f of list) {
      if (!droppedFiles.some((g) => g.name === f.name && g.size === f.size && g.lastModified === f.lastModified)) {
        droppedFiles.push(f);
      }
    }
    renderFiles();
  }
  function renderFiles() {
    const ul = $("#file-list");
    clear(ul);
    droppedFiles.forEach((f, i) => {
      ul.appendChild(el("li", null, el("span", { text: f.name }),
        el("button", { type: "button", class: "link", text: "×", "aria-label": `Remove ${f.name}`,
          onclick: () => { droppedFiles.splice(i, 1); renderFiles(); } })));
    });
  }
  async function submit(ev) {
    ev.preventDefault();
    const articles = collectArticles();
    if (!articles.length && !droppedFiles.length) {
      setStatus("Paste at least one article or choose files.", "error");
      return;
    }
    const query = $("#query").value.trim();
    lastForm = { articles, files: droppedFiles.slice(), words: $("#words").value || "150", query,
      since: updating ? updating.id : null };
    await send(lastForm, "largest");
  }
  async function send(form, story) {
    const fd = new FormData();
    if (form.articles.length) fd.append("articles", JSON.stringify(form.articles));
    for (const f of form.files) fd.append("files", f, f.name);
    fd.append("words", form.words);
    fd.append("story", String(story));
    if (form.query) fd.append("query", form.query);
    if (form.since) fd.append("since", form.since);
    const btn = $("#submit");
    btn.disabled = true;
    const n = form.articles.length + form.files.length;
    setStatus(`Briefing ${plural(n, "input")}…`, "busy");
    const t0 = performance.now();
    try {
      const brief = await api("POST", "/api/briefs", fd);
      if (form.since) stopUpdating();
      renderBrief(brief);
      setStatus(`Done in ${((performance.now() - t0) / 1000).toFixed(1)} s.`, "ok");
      history.replaceState(null, "", "#brief=" + encodeURIComponent(brief.id));
      loadSaved(true);
      showBrief();
    } catch (e) {
      if (e.body && e.body.brief) {  // computed but not saved (database full or read-only): show it
        renderBrief(e.body.brief);
        setStatus("Not saved: " + e.message, "error");
        showBrief();
      } else {
        setStatus("Error: " + e.message, "error");
      }
    } finally {
      btn.disabled = false;
    }
  }
  function showBrief() {
    // the brief in view and the focus on its title, on every screen
    const title = $("#brief-title");
    title.scrollIntoView({ block: "start" });
    title.focus({ preventScroll: true });
  }
  function resetForm() {
    clear($("#article-inputs"));
    addArticleInput(false);
    $("#files").value = "";
    droppedFiles = [];
    renderFiles();
    $("#query").value = "";
    stopUpdating();
    setStatus("");
  }
  // "Update this brief": the next brief is made since the saved brief shown (what the new articles add)
  function startUpdating(b) {
    const keep = updating;
    resetForm();
    updating = keep && keep.id === b.id ? keep : { id: b.id, title: b.title || "Brief" };
    $("#update-title").textContent = updating.title;
    $("#update-of").hidden = false;
    $("#submit").textContent = "Make update brief";
    const first = document.querySelector(".article-input .a-text");
    $("#input").scrollIntoView({ block: "start" });
    if (first) first.focus({ preventScroll: true });
    setStatus("Add the new articles, then make the update brief.", "");
  }
  function stopUpdating() {
    updating = null;
    $("#update-of").hidden = true;
    $("#submit").textContent = "Make brief";
  }
  async function tryExample() {
    let ex;
    try {
      ex = await api("GET", "/api/example");
    } catch (e) {
      setStatus("Error: " + e.message, "error");
      return;
    }
    resetForm();
    clear($("#article-inputs"));
    ex.articles.forEach((a) => {
      const fs = addArticleInput(false);
      fs.querySelector(".a-text").value = a.text;
      if (a.title) fs.querySelector(".a-title").value = a.title;
    });
    $("#words").value = String(ex.words || 150);
    $("#brief-form").requestSubmit();
  }

  // -- the brief ------------------------------------------------------------------------------
  function outletOf(a) {
    if (!a) return UNNAMED;
    if (a.outlet_label) return a.outlet_label;
    if (a.outlet) return a.wire ? `${a.outlet}, from ${a.wire}` : a.outlet;
    return a.source || UNNAMED;
  }
  function outletKey(a) { return a.outlet ? "o:" + a.outlet.toLowerCase() : "a:" + a.id; }

  function renderBrief(b) {
    current = b;
    const n = (b.articles || []).length;
    articleById = new Map((b.articles || []).map((a, i) => [String(a.id), { ...a, number: i + 1 }]));
    (b.earlier_articles || []).forEach((a, i) => articleById.set(String(a.id), { ...a, number: n + i + 1, earlier: true }));
    $("#brief").hidden = false;
    $("#brief-title").textContent = b.title || "Brief";
    $("#brief-meta").textContent = coverage(b) + (b.created_at ? ` · saved ${fmtDate(b.created_at)}` : "");
    const links = $("#brief-links");
    clear(links);
    if (b.id) {
      append(links, "Open as ");
      const base = `/api/briefs/${encodeURIComponent(b.id)}`;
      append(links, el("a", { href: `${base}?format=html`, text: "report", target: "_blank", rel: "noopener" }));
      append(links, " · ");
      append(links, el("a", { href: `${base}?format=markdown`, text: "Markdown" }));
      append(links, " · ");
      append(links, el("a", { href: base, text: "JSON" }));
      append(links, " ");
      links.appendChild(el("button", { type: "button", id: "update-brief", class: "secondary", text: "Update this brief",
        title: "Brief new articles about this story: what they add to this brief's articles",
        onclick: () => startUpdating(b) }));
    }
    renderMode(b);
    renderStories(b);
    renderSummary(b);
    renderAnalysis(b);
    renderSources(b);
    const warnings = (b.warnings || []).filter((w) => !((b.stories || []).length && String(w).startsWith("the input covers ")));
    $("#warnings").hidden = !warnings.length;
    const wl = $("#warning-list");
    clear(wl);
    warnings.forEach((w) => wl.appendChild(el("li", { text: typeof w === "string" ? w : JSON.stringify(w) })));
    $("#provenance").textContent = provenance(b);
    resetPanel();
  }

  function renderMode(b) {
    // what a question-focused or update brief is (as the reports say it)
    const box = $("#brief-mode");
    clear(box);
    if (b.query != null) {
      box.appendChild(el("p", { class: "query" }, el("strong", { text: "Question: " }), String(b.query)));
      if (b.answered === false) {
        box.appendChild(el("p", { class: "unanswered", text: "Nothing in these articles answers this question. The general brief follows." }));
      }
    }
    const earlier = b.earlier_articles || [];
    if (earlier.length) {
      const p = el("p", { class: "update", text: `Update: what ${plural((b.articles || []).length, "new article")} add` +
        `${(b.articles || []).length === 1 ? "s" : ""} to ${plural(earlier.length, "earlier one")} (no sentence below restates the earlier coverage)` });
      const ids = b.since_briefs || [];
      if (ids.length) {
        append(p, ", since ");
        ids.forEach((id, i) => {
          if (i) append(p, ", ");
          p.appendChild(el("a", { href: "#brief=" + encodeURIComponent(id), text: ids.length > 1 ? `saved brief ${i + 1}` : "the saved brief" }));
        });
      }
      append(p, ".");
      box.appendChild(p);
    }
    box.hidden = !box.firstChild;
  }

  function coverage(b) {
    const arts = b.articles || [];
    const keys = new Set(arts.map(outletKey));
    const unnamed = arts.filter((a) => !a.outlet).length;
    const cited = new Set();
    (b.summary || []).forEach((s) => (s.sources || []).forEach((id) => {
      const a = articleById.get(String(id));
      if (a) cited.add(outletKey(a));
    }));
    let whom = plural(cited.size, "outlet");
    if (keys.size === 1 && cited.size === 1) whom = "it";
    else if (cited.size === keys.size && cited.size > 1) whom = "all of them";
    const words = b.summary_words != null ? b.summary_words : "?";
    return `${plural(arts.length, "article")} from ${plural(keys.size, "outlet")}` +
      (unnamed ? ` (${unnamed} not named)` : "") + ` · ${words}-word summary citing ${whom}`;
  }
  function provenance(b) {
    const p = b.provenance || {};
    const bits = [`${p.words != null ? p.words : b.words}-word budget`];
    if ("analysis" in p) bits.push("analysis " + (p.analysis ? "on" : "off"));
    if ("embeddings" in p) bits.push("paraphrase model (MiniLM) " + (p.embeddings ? "on" : "off"));
    return (p.version ? `Made with newsbrief ${p.version}` : "Made with newsbrief") + " · settings: " + bits.join(", ");
  }

  function renderStories(b) {
    const box = $("#stories");
    clear(box);
    const stories = b.stories || [];
    box.hidden = stories.length < 2;
    if (box.hidden) return;
    const briefed = stories.filter((s) => s.briefed);
    const all = briefed.length === stories.length;
    box.appendChild(el("p", null, el("strong", { text: `These articles cover ${stories.length} unrelated stories. ` }),
      all ? "This brief blends them, as asked." :
        `This brief covers story ${briefed[0].number}, “${briefed[0].title}” (${plural(briefed[0].articles.length, "article")}).`));
    const list = el("ul");
    stories.forEach((s) => {
      const names = s.articles.slice(0, 5).map((a) => a.name).join(", ") + (s.articles.length > 5 ? ` and ${s.articles.length - 5} more` : "");
      list.appendChild(el("li", null, `Story ${s.number}, “${s.title}”: ${plural(s.articles.length, "article")} (${names})`));
    });
    box.appendChild(list);
    const choices = el("div", { class: "story-choices", role: "group", "aria-label": "Brief another story" });
    const can = !!lastForm;
    stories.forEach((s) => {
      const here = s.briefed && !all;
      choices.appendChild(el("button", {
        type: "button", class: "secondary" + (here ? " current" : ""), disabled: !can || here,
        "aria-pressed": here ? "true" : "false", dataset: { story: String(s.number) },
        text: here ? `Story ${s.number} (shown)` : `Brief story ${s.number}`,
        onclick: () => send(lastForm, s.number),
      }));
    });
    choices.appendChild(el("button", {
      type: "button", class: "secondary" + (all ? " current" : ""), disabled: !can || all, dataset: { story: "all" },
      text: all ? "All together (shown)" : "Brief all together", onclick: () => send(lastForm, "all"),
    }));
    box.appendChild(choices);
    if (!can) box.appendChild(el("p", { class: "hint", text: "Submit the articles again to brief another story." }));
  }

  // citation chips ---------------------------------------------------------------------------
  function citeButton(articleId, span, owner) {
    const a = articleById.get(String(articleId));
    const name = outletOf(a);
    const num = a ? a.number : "?";
    return el("button", {
      type: "button",
      class: "cite",
      title: `Show the cited words in ${name} [${num}]`,
      "aria-label": `Source ${num}, ${name}: show the cited words`,
      dataset: { article: String(articleId) },
      onclick: (ev) => {
        ev.preventDefault();
        cite(articleId, span, ev.currentTarget, owner);
      },
    }, name, " ", el("span", { class: "n", text: `[${num}]` }));
  }
  function isSpan(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v) && "article" in v &&
      Number.isInteger(v.start) && Number.isInteger(v.end);
  }
  function spansIn(v, depth) {
    // every span inside v (citations, sentences, nested records)
    const out = [];
    if (v === null || typeof v !== "object" || (depth || 0) > 5) return out;
    if (isSpan(v)) { out.push(v); return out; }
    for (const x of Array.isArray(v) ? v : Object.values(v)) out.push(...spansIn(x, (depth || 0) + 1));
    return out;
  }
  // chips for the articles `ids`, each with the first of `spans` in that article
  function cites(ids, spans, owner, kinds) {
    const box = el("span", { class: "cites" });
    const seen = new Set();
    for (const id of ids || []) {
      const key = String(id);
      if (seen.has(key) || !articleById.has(key)) continue;
      seen.add(key);
      const k = (spans || []).findIndex((p) => isSpan(p) && String(p.article) === key);
      const button = citeButton(key, k >= 0 ? spans[k] : null, owner);
      if ((kinds || [])[k] === "paraphrase") {  // the source says it in other words: not highlighted as a copy
        button.classList.add("paraphrase");
        button.appendChild(document.createTextNode("≈"));
        button.title += " (in other words)";
      }
      box.appendChild(button);
    }
    return box;
  }
  function sourcesOf(item) {
    if (Array.isArray(item.sources) && item.sources.every((x) => typeof x === "string")) return item.sources;
    const out = [];
    spansIn(item).forEach((sp) => { if (!out.includes(String(sp.article))) out.push(String(sp.article)); });
    if (typeof item.article === "string" && !out.includes(item.article)) out.unshift(item.article);
    return out;
  }

  function renderSummary(b) {
    const ol = $("#summary");
    clear(ol);
    (b.summary || []).forEach((s, i) => {
      const li = el("li", { class: "sentence", id: `s-${i}` }, el("span", { class: "s-text", text: s.text }));
      if (Array.isArray(s.disputed) ? s.disputed.length : (s.disputed !== undefined && s.disputed !== null && s.disputed !== false)) {
        li.appendChild(el("span", { class: "disputed", text: " disputed: see where the sources disagree" }));
      }
      li.appendChild(cites(s.sources, s.spans, li, s.support_kinds));
      ol.appendChild(li);
    });
  }

  // the analysis sections ----------------------------------------------------------------------
  function renderAnalysis(brief) {
    const box = $("#analysis");
    clear(box);
    // a conflict of type "change" (a figure that moved over time) is not a contradiction: its own section
    const all = Array.isArray(brief.conflicts) ? brief.conflicts : [];
    const b = Object.assign({}, brief, { conflicts: all.filter((c) => c && c.type !== "change"),
      over_time: all.filter((c) => c && c.type === "change") });
    const extra = Object.keys(b).filter((k) => !CORE.has(k) && !ORDER.includes(k) && Array.isArray(b[k]) &&
      b[k].length && b[k].every((x) => x !== null && typeof x === "object"));
    for (const key of ["changes"].concat(ORDER, extra)) {
      const items = b[key];
      if (!Array.isArray(items) || !items.length) continue;
      const sec = el("section", { class: "analysis", dataset: { section: key }, "aria-labelledby": `sec-${key}` },
        el("h3", { id: `sec-${key}`, text: titleFor(key) }));
      const rows = (RENDER[key] || renderGeneric)(items);
      const ul = el("ul", { class: "items" });
      const shown = SHOWN[key] || rows.length;
      rows.slice(0, shown).forEach((r) => ul.appendChild(r));
      sec.appendChild(ul);
      if (rows.length > shown) {
        const more = el("button", {
          type: "button", class: "link more", text: `+${rows.length - shown} more`,
          onclick: () => { rows.slice(shown).forEach((r) => ul.appendChild(r)); more.remove(); },
        });
        sec.appendChild(more);
      }
      box.appendChild(sec);
    }
  }
  function row(build) {
    const li = el("li");
    const box = el("div", { class: "item" });
    li.appendChild(box);
    build(box);
    return li;
  }
  const RENDER = {
    changes(items) {
      // update briefs: a figure of the earlier coverage set against the new one, both sides cited
      return items.map((c) => row((box) => {
        const words = (s) => (s && s.citations && s.citations[0] && s.citations[0].text) || (s && s.display) || "";
        box.appendChild(el("strong", { text: cap(c.measure) + ": " }));
        append(box, `${c.text} — now `);
        box.appendChild(el("q", { text: words(c.new) }));
        box.appendChild(cites((c.new || {}).sources, ((c.new || {}).citations || []).concat((c.new || {}).sentences || []), box));
        append(box, ", earlier ");
        box.appendChild(el("q", { text: words(c.old) }));
        box.appendChild(cites((c.old || {}).sources, ((c.old || {}).citations || []).concat((c.old || {}).sentences || []), box));
      }));
    },
    over_time(items) {
      return items.map((c) => row((box) => {
        box.appendChild(el("strong", { text: cap(c.attribute) + ": " }));
        (c.sides || []).forEach((s, i) => {
          if (i) append(box, " → ");
          box.appendChild(el("q", { text: (s.citations && s.citations[0] && s.citations[0].text) || s.display }));
          box.appendChild(cites(s.sources, (s.citations || []).concat(s.sentences || []), box));
        });
        if (c.note) box.appendChild(el("p", { class: "note", text: c.note }));
      }));
    },
    conflicts(items) {
      return items.map((c) => row((box) => {
        box.appendChild(el("strong", { text: cap(c.attribute) }));
        const sides = el("div", { class: "sides" });
        (c.sides || []).forEach((s) => {
          const words = (s.citations && s.citations[0] && s.citations[0].text) || s.display;
          const sent = s.sentences && s.sentences[0] ? stripDateline(s.sentences[0].text) : "";
          const side = el("div", { class: "side" }, el("div", { class: "value", text: `“${words}”` }));
          if (sent) side.appendChild(el("div", { class: "sentence-text", text: sent }));
          side.appendChild(cites(s.sources, (s.citations || []).concat(s.sentences || []), box));
          sides.appendChild(side);
        });
        box.appendChild(sides);
        if (c.note) box.appendChild(el("p", { class: "note", text: "Note: " + c.note }));
      }));
    },
    agreements(items) {
      return items.map((g) => row((box) => {
        append(box, cap(g.attribute) + ": ");
        const side = (g.sides || [])[0] || { citations: [] };
        const seen = new Set();
        side.citations.forEach((c, i) => {
          const key = c.text + "\u0000" + c.article;
          if (seen.has(key)) return;
          seen.add(key);
          if (i) append(box, " ");
          box.appendChild(el("q", { text: c.text }));
          box.appendChild(cites([c.article], [c], box));
        });
      }));
    },
    quotes(items) {
      const direct = items.filter((q) => q.kind !== "indirect");
      const indirect = items.filter((q) => q.kind === "indirect");
      return direct.concat(indirect).map((q) => row((box) => {
        const who = q.speaker || "unattributed";
        const role = q.speaker_role ? ` (${q.speaker_role})` : "";
        if (q.kind !== "indirect") {
          box.appendChild(el("span", { class: "item-text", text: `“${q.text}”` }));
          append(box, " — ");
          box.appendChild(el("span", { class: "who", text: who }));
          box.appendChild(el("span", { class: "role", text: role }));
        } else {
          box.appendChild(el("span", { class: "who", text: who }));
          box.appendChild(el("span", { class: "role", text: role }));
          box.appendChild(el("span", { class: "item-text", text: ` said ${q.text}` }));
        }
        box.appendChild(cites(q.sources, q.citations, box));
        if (q.speakers_differ && Array.isArray(q.by_source)) {
          const pairs = [];
          q.by_source.forEach((qs) => {
            const p = `${outletOf(articleById.get(String(qs.article)))}: ${qs.speaker || "unattributed"}`;
            if (!pairs.includes(p)) pairs.push(p);
          });
          box.appendChild(el("p", { class: "note", text: "Outlets name different speakers: " + pairs.join("; ") }));
        }
      }));
    },
    single_source(items) {
      return items.map((c) => row((box) => {
        box.appendChild(el("span", { class: "item-text", text: stripDateline(c.text) }));
        append(box, " — only ");
        box.appendChild(cites([c.source].concat(c.sources || []), c.citations, box));
      }));
    },
    consensus(items) {
      return items.map((c) => row((box) => {
        box.appendChild(el("span", { class: "item-text", text: stripDateline(c.text) }));
        box.appendChild(cites(c.sources, c.citations, box));
      }));
    },
    timeline(items) {
      return items.map((e) => row((box) => {
        box.appendChild(el("strong", { text: e.label || dayLabel(e.date) }));
        const tags = [e.estimated ? "date estimated" : "", ["later event", "background"].includes(e.kind) ? e.kind : ""].filter(Boolean);
        if (tags.length) box.appendChild(el("span", { class: "tag", text: ` (${tags.join(", ")})` }));
        append(box, ": ");
        box.appendChild(el("span", { class: "item-text", text: stripDateline(e.event) }));
        box.appendChild(cites(e.sources, e.citations, box));
      }));
    },
    entities(items) {
      return items.map((ent) => row((box) => {
        box.appendChild(el("strong", { text: ent.name }));
        const bits = [ENTITY_TYPES[ent.type] || ent.type, plural(Number(ent.mentions) || 0, "mention")];
        const extra = (ent.variants || []).filter((v) => v !== ent.name).slice(0, 4);
        if (extra.length) bits.push("also " + extra.map((v) => `“${v}”`).join(", "));
        const roles = (ent.roles || []).slice(0, 3).map((r) => r.text);
        if (roles.length) bits.push(roles.join("; "));
        box.appendChild(el("span", { class: "role", text: ` (${bits.join("; ")})` }));
        box.appendChild(cites(ent.sources, ent.citations, box));
      }));
    },
    framing(items) {
      return items.map((f) => row((box) => {
        box.appendChild(el("strong", { text: outletOf(articleById.get(String(f.article))) }));
        append(box, " uses: ");
        (f.terms || []).forEach((t, i) => {
          if (i) append(box, "; ");
          box.appendChild(el("q", { text: (t.citation && t.citation.text) || t.term }));
          box.appendChild(cites([f.article], [t.citation], box));
          if (t.quoted) append(box, " (in a quotation)");
          if ((t.neutral || []).length) {
            append(box, " — others: ");
            t.neutral.forEach((n, j) => {
              if (j) append(box, ", ");
              box.appendChild(el("q", { text: n.text }));
              box.appendChild(cites([n.article], [n.citation], box));
            });
          }
        });
      }));
    },
  };
  function renderGeneric(items) {
    // a section added to the analysis later: each item's main words, a note if any, its citations
    return items.map((item) => row((box) => {
      const key = PRIMARY.find((k) => typeof item[k] === "string" && item[k].trim());
      if (key) box.appendChild(el("span", { class: "item-text", text: stripDateline(item[key]) }));
      box.appendChild(cites(sourcesOf(item), spansIn(item), box));
      if (typeof item.note === "string" && item.note) box.appendChild(el("p", { class: "note", text: item.note }));
    }));
  }

  // sources ---------------------------------------------------------------------------------------
  function renderSources(b) {
    const ul = $("#outlets");
    clear(ul);
    const nSum = (b.summary || []).length;
    const groups = b.outlets && b.outlets.length ? b.outlets : (b.articles || []).map((a) => ({
      outlet: a.outlet || "", articles: [a.id], wires: a.wire ? [a.wire] : [],
      summary_sentences: (b.summary || []).filter((s) => (s.sources || []).includes(a.id)).length,
    }));
    groups.forEach((o) => {
      const arts = o.articles.map((id) => articleById.get(String(id))).filter(Boolean);
      const labels = new Set(arts.map(outletOf));
      const name = labels.size === 1 ? [...labels][0] : (o.outlet || UNNAMED);
      const li = el("li", null, el("strong", { text: name }));
      if (labels.size > 1 && (o.wires || []).length) append(li, `, carrying ${o.wires.join(", ")} copy`);
      append(li, " ");
      arts.forEach((a) => li.appendChild(el("button", {
        type: "button", class: "cite", "aria-label": `Read source ${a.number}, ${outletOf(a)}`,
        onclick: (ev) => cite(a.id, null, ev.currentTarget, null), text: `[${a.number}]` })));
      append(li, `: ${plural(arts.length, "article")}, cited in ${o.summary_sentences} of ${nSum} summary sentences`);
      ul.appendChild(li);
    });
    const box = $("#articles");
    clear(box);
    const earlier = (b.earlier_articles || []).map((a) => articleById.get(String(a.id))).filter(Boolean);
    if (earlier.length) {
      ul.appendChild(el("li", null, el("strong", { text: "Earlier coverage" }), " (the update is made since these) ",
        ...earlier.map((a) => el("button", {
          type: "button", class: "cite", "aria-label": `Read earlier source ${a.number}, ${outletOf(a)}`,
          onclick: (ev) => cite(a.id, null, ev.currentTarget, null), text: `[${a.number}]` }))));
    }
    (b.articles || []).concat(earlier).forEach((a, i) => {
      const num = i + 1;
      if (i === (b.articles || []).length) box.appendChild(el("h4", { class: "earlier-h", text: "Earlier coverage (the update is made since these)" }));
      const col = el("article", { class: "article", id: `article-${num}`, dataset: { article: String(a.id) } });
      col.appendChild(el("header", { class: "a-head" },
        el("span", { class: "a-num", text: `[${num}]` }), " ",
        el("span", { class: "a-outlet", text: outletOf(a) }), " — ",
        el("span", { class: "a-title", text: a.title || `article ${num}` })));
      const metaBits = [dayLabel(a.date)].filter(Boolean).join(" · ");
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
      col.appendChild(el("div", { class: "a-actions" }, el("button", {
        type: "button", class: "secondary", text: "Read beside the brief",
        onclick: (ev) => cite(a.id, null, ev.currentTarget, null) })));
      const removed = a.removed || [];
      const det = el("details", { class: "removed" },
        el("summary", { text: removed.length ? `Removed by the cleaner (${removed.length})` : "Nothing removed by the cleaner" }));
      if (removed.length) {
        const rl = el("ul");
        removed.forEach((r) => {
          rl.appendChild(el("li", null,
            el("span", { class: "r-reason", text: (r.reason || "removed") + (r.line != null ? ` · line ${r.line}` : "") }),
            el("span", { class: "r-text", text: r.text || "" })));
        });
        det.appendChild(rl);
      }
      col.appendChild(det);
      col.appendChild(el("details", { class: "fulltext" }, el("summary", { text: "Full text" }),
        el("div", { text: a.text || "" })));
      box.appendChild(col);
    });
  }

  // the source panel -------------------------------------------------------------------------------
  function resetPanel() {
    const body = $("#panel-body");
    clear(body);
    body.appendChild(el("p", { class: "hint", text: "Click a citation to see the cited words, highlighted in their article." }));
    $("#panel-title").textContent = "Source";
    closeSheet(false);
  }
  function openSheet() {
    $("#panel").classList.add("open");
    document.body.classList.add("sheet-open");
  }
  function closeSheet(refocus) {
    $("#panel").classList.remove("open");
    document.body.classList.remove("sheet-open");
    if (refocus && lastCite && document.contains(lastCite)) lastCite.focus();
  }
  // Show `span` (character offsets into the article's text) highlighted in its article, in the panel
  // beside the brief (a sheet on a phone): the claim and its source are visible together.
  function cite(articleId, span, button, owner) {
    const a = articleById.get(String(articleId));
    if (!a) return;
    document.querySelectorAll(".article.active").forEach((n) => n.classList.remove("active"));
    document.querySelectorAll(".cite.active").forEach((n) => { n.classList.remove("active"); n.setAttribute("aria-pressed", "false"); });
    document.querySelectorAll(".sentence.active, .item.active").forEach((n) => n.classList.remove("active"));
    if (button && button.classList.contains("cite")) {
      button.classList.add("active");
      button.setAttribute("aria-pressed", "true");
    }
    lastCite = button;
    if (owner) owner.classList.add("active");
    const card = document.querySelector(`#article-${a.number}`);
    if (card) card.classList.add("active");
    $("#panel-title").textContent = `${outletOf(a)} [${a.number}]`;
    const body = $("#panel-body");
    clear(body);
    const metaBits = [a.title, dayLabel(a.date)].filter(Boolean).join(" · ");
    if (metaBits) body.appendChild(el("p", { class: "panel-meta", text: metaBits }));
    const text = a.text || "";
    const box = el("div", { class: "a-body", tabindex: "0", "aria-label": `Text of source ${a.number}` });
    let mark = null;
    if (span && Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.end <= text.length && span.start < span.end) {
      box.appendChild(document.createTextNode(text.slice(0, span.start)));
      const kind = button && button.classList.contains("paraphrase") ? "hl paraphrase" : "hl";  // a paraphrase is not a copy
      mark = el("mark", { class: kind, id: "highlight", text: text.slice(span.start, span.end) });
      box.appendChild(mark);
      box.appendChild(document.createTextNode(text.slice(span.end)));
    } else {
      box.textContent = text;
    }
    body.appendChild(box);
    if (NARROW.matches) {
      openSheet();
      // keep the claim above the sheet
      const target = owner || button;
      if (target) {
        const r = target.getBoundingClientRect();
        if (r.top < 8 || r.bottom > window.innerHeight * 0.46) window.scrollBy(0, r.top - 12);
      }
    }
    body.scrollTop = 0;
    if (mark) {
      // scroll the panel (never the page) so that the highlight is in view
      const top = mark.offsetTop - body.offsetTop;
      body.scrollTop = Math.max(0, top - body.clientHeight / 3);
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
        el("div", { class: "meta", text: `${plural(it.n_articles, "article")} · ${it.summary_words} words · ${fmtDate(it.created_at)}` }),
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
      lastForm = null; // its articles are not in the form: another story needs them again
      renderBrief(b);
      setStatus("");
      showBrief();
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
    $("#update-cancel").addEventListener("click", () => { stopUpdating(); setStatus(""); });
    $("#saved-more").addEventListener("click", () => loadSaved(false));
    $("#panel-close").addEventListener("click", () => closeSheet(true));
    $("#try-example").addEventListener("click", tryExample);
    $("#files").addEventListener("change", (ev) => { addFiles(ev.target.files); ev.target.value = ""; });
    const drop = $("#drop");
    ["dragenter", "dragover"].forEach((t) => drop.addEventListener(t, (ev) => { ev.preventDefault(); drop.classList.add("over"); }));
    ["dragleave", "drop"].forEach((t) => drop.addEventListener(t, () => drop.classList.remove("over")));
    drop.addEventListener("drop", (ev) => {
      ev.preventDefault();
      if (ev.dataTransfer && ev.dataTransfer.files) addFiles(ev.dataTransfer.files);
    });
    document.addEventListener("keydown", (ev) => { if (ev.key === "Escape" && $("#panel").classList.contains("open")) closeSheet(true); });
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
    fetch("/api/example", { method: "HEAD" }).then((r) => {
      if (r.ok) { $("#try-example").hidden = false; $("#example-hint").hidden = false; }
    }).catch(() => {});
    loadSaved(true);
    fromHash();
    document.body.dataset.ready = "1";
  });
})();
