"""The web page in a real browser: Debian's Chromium driven by Playwright against a real uvicorn.

    apt-get install -y chromium chromium-driver     # what this test needs (skipped without it)

Checks: the page loads with no external request, the seeds are submitted (uploaded files and a
pasted article), a citation click highlights the exact source sentence (the span's offsets into
the article's text) in the source panel while its claim stays in view, tap targets are 44 px, the
focus moves to the brief, the cleaner's removals open on demand, saved briefs list and reload; and,
against hostile articles, that nothing executes and the markup is shown as literal text.

Issue 15: the page ("Try the bundled example") and the HTML report at 1366x900 and 390x844 -- a
citation's highlight is visible next to its claim (checked in the screenshot's pixels too), no raw
field names or ids in the visible text, the outlets named, the same section titles and order as
the reports. Screenshots go to $NEWSBRIEF_SCREENSHOTS or <tmp>/newsbrief-screenshots (printed with -s).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import struct
import tempfile
import threading
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
from fakes import HOSTILE, XSS_IMG, XSS_LINK, XSS_SCRIPT, passthrough_brief  # noqa: E402
from newsbrief.web.routes import create_app  # noqa: E402
from newsbrief.web.settings import Settings  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SEEDS = sorted((ROOT / "examples" / "us-iran-talks").glob("*.txt"))

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} missing: apt-get install -y chromium chromium-driver"
)
playwright_sync = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

# -- a real server in a thread ----------------------------------------------------------------------


class LiveServer:
    """uvicorn on 127.0.0.1, an OS-chosen free port, in a daemon thread; stopped by `stop()`."""

    def __init__(self, app):
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self):
        self.thread.start()
        started = threading.Event()
        for _ in range(300):
            if self.server.started:
                started.set()
                break
            if not self.thread.is_alive():
                break
            threading.Event().wait(0.05)
        assert started.is_set(), "uvicorn did not start"
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(15)
        self.sock.close()


# -- browser --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser_context():
    user_data = tempfile.mkdtemp(prefix="newsbrief-chromium-")
    with playwright_sync.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            user_data, executable_path=CHROMIUM, headless=True, args=FLAGS, viewport={"width": 1400, "height": 1000}
        )
        ctx.set_default_timeout(20_000)
        try:
            yield ctx
        finally:
            ctx.close()
            shutil.rmtree(user_data, ignore_errors=True)


class Watch:
    """Page errors, dialogs and every request's URL."""

    def __init__(self, page):
        self.errors, self.dialogs, self.requests = [], [], []
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: self.requests.append(r.url))

    def assert_clean(self, base):
        assert not self.errors, self.errors
        assert not self.dialogs, self.dialogs
        outside = [u for u in self.requests if not (u.startswith(base + "/") or u.startswith("data:"))]
        assert not outside, f"requests outside the server: {outside}"


def open_everything(page):
    """Open every collapsed section and list, so that every citation can be clicked."""
    for summary in page.locator("#analysis details:not([open]) > summary").all()[::-1]:
        summary.click()
    while page.locator("#analysis button.more").count():
        page.locator("#analysis button.more").first.click()
    assert page.locator("#analysis details:not([open])").count() == 0


def pwned(page):
    return page.evaluate("() => typeof window.__pwned")


SHOTS = Path(os.environ.get("NEWSBRIEF_SCREENSHOTS") or Path(tempfile.gettempdir()) / "newsbrief-screenshots")
VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
HIGHLIGHT = (0xFF, 0xE5, 0x8A)  # --mark in app.css and the report's CSS
RAW_FIELDS = re.compile(r"\b(Type|Kind|Value|Label|Support|Source|Speaker role|Speaker resolved|Attributions|"
                        r"Citations|Notability|Precision|Basis|Target kind|Source label)\s*:")


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n = struct.unpack(">I", data[pos:pos + 4])[0]
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, bpp, rows


def highlight_share(shot: bytes, box: dict) -> float:
    """The share of the pixels inside `box` (a bounding box, CSS px = screenshot px) that have the highlight
    colour: the highlight is really visible in the screenshot."""
    width, bpp, rows = png_pixels(shot)
    hits = total = 0
    for y in range(int(box["y"]) + 1, int(box["y"] + box["height"]) - 1):
        if not 0 <= y < len(rows):
            continue
        for x in range(int(box["x"]) + 1, int(box["x"] + box["width"]) - 1, 2):
            if 0 <= x < width:
                px = rows[y][x * bpp:x * bpp + 3]
                total += 1
                hits += all(abs(px[i] - HIGHLIGHT[i]) <= 12 for i in range(3))
    return hits / max(total, 1)


def in_view(page, locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    vw, vh = page.viewport_size["width"], page.viewport_size["height"]
    assert box["y"] >= -2 and box["y"] + min(box["height"], 40) <= vh + 2 and box["x"] >= -2 and box["x"] < vw, box
    return box


def check_reader_text(text: str) -> None:
    """What a reader sees: no raw field names, no article ids, the outlets named."""
    assert not RAW_FIELDS.search(text), RAW_FIELDS.search(text)
    assert "000_a183c4428c7c4876" not in text and "<dict>" not in text
    assert "NCRI, from AFP" in text and "Reuters" in text


@pytest.fixture(scope="module")
def seeds_server(tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"), time_limit=120)
    with LiveServer(create_app(settings)) as srv:
        yield srv


def test_seeds_citation_highlight_and_screenshot(browser_context, seeds_server):
    srv = seeds_server
    page = browser_context.new_page()
    watch = Watch(page)
    page.goto(srv.url + "/")
    page.wait_for_selector("body[data-ready='1']")
    assert page.title() == "newsbrief"

    # the first seed pasted (with an outlet), the others uploaded
    page.fill(".article-input .a-text", SEEDS[0].read_text(encoding="utf-8"))
    page.fill(".article-input .a-source", "Pasted seed")
    page.set_input_files("#files", [str(p) for p in SEEDS[1:]])
    page.fill("#words", "120")
    page.click("#submit")
    page.wait_for_selector("#summary li.sentence", state="visible", timeout=120_000)
    assert "Error" not in page.inner_text("#status")
    assert page.evaluate("() => document.activeElement.id") == "brief-title"  # the focus moved to the brief

    brief_id = page.evaluate("() => location.hash.split('=')[1]")
    brief = page.evaluate(f"() => fetch('/api/briefs/{brief_id}').then(r => r.json())")
    assert len(brief["articles"]) == len(SEEDS)
    assert page.locator(".article").count() == len(SEEDS)
    assert brief["articles"][0]["source"] == "Pasted seed"
    texts = {a["id"]: a["text"] for a in brief["articles"]}

    # a summary sentence cited by more than one article, if there is one: click its second citation
    summary = brief["summary"]
    k = next((i for i, s in enumerate(summary) if len(s["sources"]) > 1), 0)
    sentence = summary[k]
    c = 1 if len(sentence["sources"]) > 1 else 0
    cited = sentence["sources"][c]
    span = next(sp for sp in sentence["spans"] if sp["article"] == cited)
    chip = page.locator(f"#s-{k} .cite").nth(c)
    assert sentence["outlets"][c] in chip.inner_text()  # the chip names the outlet
    chip.click()
    mark = page.locator("#panel mark.hl")
    assert mark.count() == 1
    assert mark.inner_text() == texts[cited][span["start"]: span["end"]]
    in_view(page, mark)
    in_view(page, page.locator(f"#s-{k}"))  # the claim and its source, visible together
    assert page.locator(f"#s-{k}").evaluate("n => n.classList.contains('active')")

    # the first citation of the first sentence is that very sentence, verbatim
    page.locator("#s-0 .cite").first.click()
    first = summary[0]
    assert page.locator("mark.hl").count() == 1
    assert page.locator("#panel mark.hl").inner_text() == first["text"]
    body = page.locator("#panel .a-body").inner_text()
    assert body.replace("\n", " ").split() == texts[first["sources"][0]].replace("\n", " ").split()

    # what the cleaner removed, on demand
    removed = [(a["number"], len(a["removed"])) for a in brief["articles"] if a["removed"]]
    if removed:
        num, n = removed[0]
        details = page.locator(f"#article-{num} details.removed")
        assert not details.locator("li").first.is_visible()
        details.locator("summary").click()
        assert details.locator("li").count() == n and details.locator("li").first.is_visible()

    # every tap target of the brief is at least 44 px
    small = page.evaluate("""() => [...document.querySelectorAll('#brief button, #brief summary')]
        .filter(e => e.offsetParent !== null)
        .map(e => e.getBoundingClientRect()).filter(r => r.width < 43.5 || r.height < 43.5).length""")
    assert small == 0

    # the saved list has it; reloading by its address shows it again
    assert page.locator(f"#saved-list li[data-id='{brief_id}']").count() == 1
    page.goto(f"{srv.url}/#brief={brief_id}")
    page.wait_for_selector("#summary li.sentence")
    assert page.inner_text("#s-0 .s-text") == summary[0]["text"]

    # hostile articles through the real pipeline: nothing runs, even after every citation is clicked
    page.click("#clear")
    page.fill(".article-input .a-text", HOSTILE[0]["text"] + "\n\n" + SEEDS[0].read_text(encoding="utf-8")[:800])
    page.click("#add-article")
    page.locator(".article-input .a-text").nth(1).fill(HOSTILE[1]["text"] + "\n\n" + SEEDS[1].read_text(encoding="utf-8")[:800])
    page.locator(".article-input .a-url").nth(1).fill("javascript:window.__pwned=1")
    page.click("#submit")
    page.wait_for_function("() => location.hash.length > 7 && location.hash.split('=')[1] !== '%s'" % brief_id,
                           timeout=120_000)
    page.wait_for_selector("#summary li.sentence")
    open_everything(page)
    for i in range(page.locator(".cite").count()):
        page.locator(".cite").nth(i).click()
    assert pwned(page) == "undefined"
    assert page.locator("#brief a[href^='javascript']").count() == 0
    watch.assert_clean(srv.url)
    page.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_page_screenshots_show_claim_and_source_together(browser_context, seeds_server, device):
    """The bundled example from the page's button, at a desktop and a phone size: a citation's highlight is
    visible (in the screenshot's pixels) next to its claim, no raw field names, the outlets named."""
    srv = seeds_server
    page = browser_context.new_page()
    watch = Watch(page)
    w, h = VIEWPORTS[device]
    page.set_viewport_size({"width": w, "height": h})
    page.goto(srv.url + "/")
    page.wait_for_selector("body[data-ready='1']")
    page.wait_for_selector("#try-example:not([hidden])")
    page.click("#try-example")
    page.wait_for_selector("#summary li.sentence", state="visible", timeout=120_000)
    assert page.evaluate("() => document.activeElement.id") == "brief-title"
    in_view(page, page.locator("#brief-title"))
    check_reader_text(page.inner_text("#brief"))
    titles = page.locator("#brief h3").all_inner_texts()
    from newsbrief.render import SECTION_TITLES

    shown = [t for t in titles if t in SECTION_TITLES.values()]
    order = list(SECTION_TITLES.values())
    assert shown == sorted(shown, key=order.index) and shown[:2] == ["Summary", "Where the sources disagree"]
    # a multi-outlet sentence's second citation
    k = page.evaluate("() => [...document.querySelectorAll('#summary li')]"
                      ".findIndex(li => li.querySelectorAll('.cite').length > 1)")
    k = max(k, 0)
    chip = page.locator(f"#s-{k} .cite").last
    chip.click()
    page.wait_for_timeout(300)  # the sheet's slide-in
    mark = page.locator("#panel mark.hl")
    mbox = in_view(page, mark)
    cbox = in_view(page, page.locator(f"#s-{k} .s-text"))
    if device == "desktop":
        assert mbox["x"] > cbox["x"] + cbox["width"] - 5  # beside the claim
    else:
        assert mbox["y"] > cbox["y"]  # below the claim, in the sheet
        assert page.locator("#panel-close").bounding_box()["height"] >= 44
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"page-{device}.png"
    data = page.screenshot(path=str(shot))
    print(f"\nscreenshot: {shot}")
    assert highlight_share(data, mark.bounding_box()) > 0.2
    # a conflict side's citation, then Escape closes the sheet on a phone and gives the focus back
    page.locator("#analysis [data-section=conflicts] .cite").first.click()
    page.wait_for_timeout(300)
    in_view(page, page.locator("#panel mark.hl"))
    page.screenshot(path=str(SHOTS / f"page-{device}-conflict.png"))
    if device == "phone":
        page.keyboard.press("Escape")
        page.wait_for_timeout(250)
        assert not page.locator("#panel").evaluate("p => p.classList.contains('open')")
        assert page.evaluate("() => document.activeElement.classList.contains('cite')")
    watch.assert_clean(srv.url)
    page.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_html_report_citation_targets_the_exact_span(browser_context, tmp_path, device):
    """The HTML report, no script: following a citation (by keyboard) shows the exact cited span, highlighted
    (CSS :target), next to its claim; no raw field names; the outlets named; a footer with the settings."""
    import newsbrief

    b = newsbrief.brief([str(ROOT / "examples" / "us-iran-talks")], words=150)
    report = tmp_path / "brief.html"
    report.write_text(b.to_html(), encoding="utf-8")
    page = browser_context.new_page()
    w, h = VIEWPORTS[device]
    page.set_viewport_size({"width": w, "height": h})
    page.goto(report.as_uri())
    check_reader_text(page.inner_text("body"))
    assert "newsbrief" in page.inner_text("footer") and "150-word budget" in page.inner_text("footer")
    assert page.locator(".ev").first.is_hidden()
    k = next(i for i, s in enumerate(b.summary) if len(s.sources) > 1) + 1
    chip = page.locator(f"#claim-{k} a.cite").last
    chip.focus()
    page.keyboard.press("Enter")  # keyboard-accessible: a link
    page.wait_for_timeout(200)
    target = page.locator(".ev:target")
    assert target.count() == 1 and target.is_visible()
    mark = target.locator("mark.cited")
    cited = b.summary[k - 1].sources[-1]
    sp = next(p for p in b.summary[k - 1].spans if p.article == cited)
    words = mark.inner_text()
    assert words == b.article(cited).text[sp.start:sp.end]
    mbox = in_view(page, mark)
    in_view(page, page.locator(f"#claim-{k} .claim"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"report-{device}.png"
    data = page.screenshot(path=str(shot))
    print(f"\nscreenshot: {shot}")
    assert highlight_share(data, mbox) > 0.2
    # from there, the same span in the full text of the article, highlighted on :target
    target.locator("a[href^='#t']").click()
    page.wait_for_timeout(200)
    full = page.locator(".fulltext .cited:target")
    assert full.count() == 1 and full.inner_text() == words
    in_view(page, full)
    page.close()


def test_hostile_articles_are_shown_as_text_and_never_run(browser_context, tmp_path):
    settings = Settings(data_dir=tmp_path / "data", brief_fn=passthrough_brief)
    with LiveServer(create_app(settings)) as srv:
        page = browser_context.new_page()
        watch = Watch(page)
        page.goto(srv.url + "/")
        page.wait_for_selector("body[data-ready='1']")
        for i, art in enumerate(HOSTILE):
            if i:
                page.click("#add-article")
            box = page.locator(".article-input").nth(i)
            box.locator(".a-text").fill(art["text"])
            box.locator(".a-title").fill(art["title"])
            box.locator(".a-source").fill(art["source"])
            box.locator(".a-url").fill(art["url"])
            if art.get("date"):
                box.locator(".a-date").fill(art["date"])
        page.click("#submit")
        page.wait_for_selector("#summary li.sentence")
        assert pwned(page) == "undefined"

        # every citation, in the summary and in the analysis sections
        open_everything(page)
        cites = page.locator(".cite")
        assert cites.count() >= 5
        for i in range(cites.count()):
            cites.nth(i).click()
            assert page.locator("mark.hl").count() <= 1
        for det in page.locator("details.removed summary").all():
            det.click()
        assert pwned(page) == "undefined"

        # the markup is visible as literal text, everywhere it was put
        brief_text = page.inner_text("#brief")
        for payload in (XSS_SCRIPT, XSS_IMG, XSS_LINK):
            assert payload in brief_text, payload
        assert XSS_SCRIPT in page.inner_text("#brief-title")
        assert f"The envoy said {XSS_SCRIPT} twice." in page.inner_text("#summary")
        assert XSS_IMG in page.inner_text("#warnings")
        for section in ("conflicts", "quotes", "timeline"):
            assert page.locator(f"#analysis [data-section='{section}']").count() == 1
        assert XSS_SCRIPT in page.inner_text("#analysis [data-section='quotes']")
        removed = page.inner_text("#article-1 details.removed")
        assert XSS_LINK in removed and XSS_IMG in removed
        assert XSS_SCRIPT in page.inner_text("#saved-list")  # the saved brief's title, as text

        # and no element was made from it
        assert page.locator("#brief script, #brief img, #brief iframe, #saved-list img").count() == 0
        assert page.locator("a[href^='javascript'], [onerror]").count() == 0
        hrefs = page.eval_on_selector_all("#brief a[href]", "els => els.map(e => e.href)")
        assert all(h.startswith(("http://", "https://")) for h in hrefs)
        assert "https://example.org/story" in hrefs

        # reload the saved brief from its address: still inert
        page.reload()
        page.wait_for_selector("#summary li.sentence")
        page.locator(".cite").first.click()
        assert pwned(page) == "undefined"

        # delete it from the saved list: gone from the page and from the API
        brief_id = page.evaluate("() => location.hash.split('=')[1]")
        page.click(f"#saved-list li[data-id='{brief_id}'] button.delete")
        page.wait_for_selector("#saved-list li.muted")
        assert page.locator("#brief").is_hidden()
        assert page.evaluate(f"() => fetch('/api/briefs/{brief_id}').then(r => r.status)") == 404
        watch.assert_clean(srv.url)
        page.close()


def test_unsaved_brief_is_still_shown(browser_context, tmp_path):
    """Issue 14.10: when the database cannot take the brief (here: read-only), the page still shows the
    computed brief, says it was not saved and why, and lists nothing new as saved."""
    settings = Settings(data_dir=tmp_path / "data", brief_fn=passthrough_brief)
    app = create_app(settings)
    with LiveServer(app) as srv:
        app.state.store._db.execute("PRAGMA query_only = 1")
        page = browser_context.new_page()
        watch = Watch(page)
        page.goto(srv.url + "/")
        page.wait_for_selector("body[data-ready='1']")
        page.fill(".article-input .a-text", "Officials met in Baghdad on Monday. They talked for hours.")
        page.click("#submit")
        page.wait_for_selector("#summary li.sentence")
        status = page.inner_text("#status")
        assert status.startswith("Not saved: cannot save the brief: attempt to write a readonly database"), status
        assert app.state.store.path in status
        assert "not saved" in page.inner_text("#warnings")
        assert page.inner_text("#s-0 .s-text") == "Officials met in Baghdad on Monday."
        assert "#brief=" not in page.url
        watch.assert_clean(srv.url)
        page.close()


def test_question_field_and_update_this_brief(browser_context, seeds_server):
    """Issue 17: a question from the page's field is answered; "Update this brief" on a saved brief of the May
    articles, with the July article uploaded, makes an update brief that says what changed, both sides cited."""
    srv = seeds_server
    july = next(p for p in SEEDS if p.name.startswith("003_"))
    may = [p for p in SEEDS if p != july]
    page = browser_context.new_page()
    watch = Watch(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(srv.url + "/")
    page.wait_for_selector("body[data-ready='1']")

    page.set_input_files("#files", [str(p) for p in SEEDS])
    page.fill("#query", "What happened to the detainees?")
    page.click("#submit")
    page.wait_for_selector("#brief-mode:not([hidden])", timeout=120_000)
    assert "Question: What happened to the detainees?" in page.inner_text("#brief-mode")
    assert "detain" in page.inner_text("#s-0 .s-text")
    query_id = page.evaluate("() => location.hash.split('=')[1]")

    page.click("#clear")
    assert page.input_value("#query") == ""
    page.set_input_files("#files", [str(p) for p in may])
    page.click("#submit")
    page.wait_for_function("() => location.hash.length > 7 && location.hash.split('=')[1] !== '%s'" % query_id,
                           timeout=120_000)
    page.wait_for_selector("#update-brief")
    may_id = page.evaluate("() => location.hash.split('=')[1]")
    assert page.locator("#brief-mode").is_hidden()  # a general brief says nothing about a mode
    page.click("#update-brief")
    assert page.locator("#update-of").is_visible() and page.inner_text("#submit") == "Make update brief"
    page.set_input_files("#files", [str(july)])
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#input").screenshot(path=str(SHOTS / "page-update-form.png"))
    page.click("#submit")
    page.wait_for_function("() => location.hash.length > 7 && location.hash.split('=')[1] !== '%s'" % may_id,
                           timeout=120_000)
    page.wait_for_selector("[data-section=changes] .cite")
    assert page.locator("#update-of").is_hidden() and page.inner_text("#submit") == "Make brief"
    mode = page.inner_text("#brief-mode")
    assert "Update: what 1 new article adds to 4 earlier ones" in mode and "the saved brief" in mode
    assert page.locator("#sec-changes").inner_text() == "What changed since the earlier coverage"
    titles = page.locator("#brief h3").all_inner_texts()
    assert titles.index("What changed since the earlier coverage") == titles.index("Summary") + 1
    # the summary cites only the new article; a change's earlier side opens an earlier article, highlighted
    assert {c for c in page.locator("#summary .cite .n").all_inner_texts()} == {"[1]"}
    meeting = page.locator("[data-section=changes] li", has_text="Meeting:").first  # "first" -> "second" meeting
    earlier_chip = meeting.locator(".cite").last
    number = int(earlier_chip.locator(".n").inner_text().strip("[]"))
    assert number > 1
    earlier_chip.click()
    mark = page.locator("#panel mark.hl")
    assert mark.count() == 1 and mark.inner_text().lower().startswith("first")
    assert page.locator(f"#article-{number}").count() == 1
    page.screenshot(path=str(SHOTS / "page-update-brief.png"), full_page=False)
    check_reader_text(page.inner_text("#brief").replace("NCRI, from AFP", "").replace("Reuters", "") +
                      " NCRI, from AFP Reuters")
    watch.assert_clean(srv.url)
    page.close()
