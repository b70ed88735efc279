"""Click (or keystroke) → DOM, timed inside the page: a capturing listener takes
performance.now() at the user's event (click, change, keydown), a MutationObserver checks
after each mutation whether the DOM shows the expected result and takes performance.now()
again. Playwright only drives the real input (mouse, select, keyboard)."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-renderer-backgrounding",
    "--disable-background-timer-throttling",
]

# Armed before the action: `trigger` is the DOM event that starts the clock, `done` the
# body of a function of no argument that says whether the result is shown.
ARM = """
([trigger, done, timeout]) => {
  const check = new Function(done);
  if (check()) {
    window.__o2bench = Promise.resolve({error: 'already shown before the event'});
    return;
  }
  window.__o2bench = new Promise((resolve) => {
    let t0 = null;
    let observer = null;
    const finish = (result) => {
      if (observer) observer.disconnect();
      document.removeEventListener(trigger, start, true);
      clearTimeout(timer);
      resolve(result);
    };
    const start = () => { t0 = performance.now(); };
    document.addEventListener(trigger, start, true);
    observer = new MutationObserver(() => {
      if (t0 !== null && check()) finish({ms: performance.now() - t0});
    });
    observer.observe(document.documentElement,
      {childList: true, subtree: true, characterData: true, attributes: true});
    const timer = setTimeout(() => finish({error: 'timeout'}), timeout);
  });
}
"""


class Timing:
    def __init__(self, page: Page, timeout_ms: int = 15000):
        self.page = page
        self.timeout_ms = timeout_ms

    def measure(self, trigger: str, done_js: str, action) -> float | None:
        """ms from `trigger` to `done_js` true, after running action(); None on failure."""
        self.page.evaluate(ARM, [trigger, done_js, self.timeout_ms])
        action()
        result = self.page.evaluate("window.__o2bench")
        if "ms" in result:
            return result["ms"]
        print(f"    ! {result.get('error')} ({done_js[:90]}…)", flush=True)
        return None


def js_str(value: str) -> str:
    import json

    return json.dumps(value)


def text_is(selector: str, expected: str) -> str:
    return (
        f"const e = document.querySelector({js_str(selector)});"
        f"return !!e && e.textContent.trim() === {js_str(expected)};"
    )


def text_starts(selector: str, expected: str) -> str:
    return (
        f"const e = document.querySelector({js_str(selector)});"
        f"return !!e && e.textContent.trim().startsWith({js_str(expected)});"
    )


def pick(values: list[str], rep: int, result, current) -> str:
    """The first of `values` from position `rep` on whose result(value) differs from
    `current` (the last one if none does)."""
    turn = [values[(rep + i) % len(values)] for i in range(len(values))]
    for value in turn:
        if result(value) != current:
            return value
    return turn[-1]


def shown(total: int, first: str | None) -> str:
    """The /services list shows `total` products, the first one named `first`."""
    count = text_starts("#services-total", f"{total} ")
    if first is None:
        return all_of(count, f"return !document.querySelector({js_str(FIRST_NAME)});")
    return all_of(count, text_is(FIRST_NAME, first))


def all_of(*bodies: str) -> str:
    return "".join(f"if (!(() => {{{b}}})()) return false;" for b in bodies) + "return true;"


def follow(t: Timing, link, path_prefix: str, name_selector: str) -> float | None:
    """A row's link clicked, until the page it leads to (under path_prefix) shows the
    row's name in name_selector."""
    name = link.inner_text().strip()
    done = all_of(
        f"return location.pathname.startsWith({js_str(path_prefix)});",
        text_is(name_selector, name),
    )
    return t.measure("click", done, link.click)


def slug(text: str) -> str:
    return re.sub(r"\W+", "-", text).strip("-")


SELECT_KINDS = ["domain", "hosting", "server"]
SELECT_STATUSES = ["active", "expired", "suspended", "expiring"]
SELECT_SORTS = ["expiry_desc", "name", "expiry_asc"]
FAQ_WORDS = ["domaine", "facture", "ticket", "mot de passe", "hébergement", "renouvel"]
FIRST_NAME = "#services-table tbody tr th a"


def run_click(
    browser, floor_url: str, portal_url: str, cookie: str, ids: dict, expect, reps: int
) -> dict[str, list[float]]:
    """Each repetition measures every event once, floor and portal interleaved.

    expect: an object with services(kind, status, sort, page) -> (total, first name),
    floor_page(page) -> first name, floor_search(text) -> (count, first name),
    faq(text) -> (count, first question)."""
    out: dict[str, list[float]] = {}

    def add(key: str, ms: float | None) -> None:
        out.setdefault(key, [])
        if ms is not None:
            out[key].append(ms)

    floor_ctx = browser.new_context(base_url=floor_url)
    floor = floor_ctx.new_page()
    floor.goto("/")
    floor.locator("#hydrated").wait_for(state="attached")
    portal_ctx = browser.new_context(base_url=portal_url, locale="fr-FR")
    portal_ctx.add_cookies(
        [
            {
                "name": "o2p_session",
                "value": cookie,
                "url": portal_url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
    for ctx in (floor_ctx, portal_ctx):
        ctx.set_default_timeout(30_000)
    services = portal_ctx.new_page()
    services.goto("/services")
    services.locator("#services-table").wait_for()
    faq = portal_ctx.new_page()
    faq.goto("/faq")
    faq.locator("#faq-list").wait_for()
    faq.locator("#o2-hydrated").wait_for(state="attached")
    ticket = portal_ctx.new_page()
    ticket.goto(f"/tickets/{ids['ticket']}")
    ticket.locator("#thread").wait_for()
    ticket.locator("#o2-hydrated").wait_for(state="attached")
    words = [w for w in FAQ_WORDS if expect.faq(w)[0] > 0]
    faq_shown = expect.faq("")
    sort = "expiry_asc"
    current = expect.services("", "", sort, 1)
    for rep in range(reps + 1):  # the first round warms up and is not kept
        keep = rep > 0
        got: list[tuple[str, float | None]] = []
        # ---- floor: counter, one query, text input
        floor.bring_to_front()
        t = Timing(floor)
        count = int(floor.locator("#count").inner_text())
        got.append(
            (
                "floor counter",
                t.measure(
                    "click", text_is("#count", str(count + 1)), lambda: floor.click("#counter")
                ),
            )
        )
        page = int(floor.locator("#page").inner_text())
        first = expect.floor_page(page + 1)
        got.append(
            (
                "floor one-query",
                t.measure(
                    "click",
                    all_of(text_is("#page", str(page + 1)), text_is("#rows tbody tr td", first)),
                    lambda: floor.click("#next"),
                ),
            )
        )
        # navigation: a row's link, until its page (one query in its on_load) shows it
        link = floor.locator("#rows tbody tr td a").nth(rep % 25)
        got.append(
            ("floor navigation (list → /item/<id>)", follow(t, link, "/item/", "#item-name"))
        )
        floor.go_back()
        floor.locator("#rows").wait_for()
        # The last key changes the result: item-0101 after item-010.
        word = f"item-0{10 + rep % 40}{1 + rep % 9}"
        n, first = expect.floor_search(word)
        box = floor.locator("#search")
        box.click()
        floor.keyboard.press("Control+A")
        floor.keyboard.type(word[:-1], delay=40)
        got.append(
            (
                "floor text input (last key)",
                t.measure(
                    "keydown",
                    all_of(text_is("#found-count", str(n)), text_is("#found tbody tr td", first)),
                    lambda w=word: floor.keyboard.press(w[-1]),
                ),
            )
        )
        # ---- portal /services
        services.bring_to_front()
        t = Timing(services)
        # Each select takes a value that changes what the list shows (the wait would
        # otherwise end before the event): the next one in turn that does.
        status = pick(SELECT_STATUSES, rep, lambda v, s=sort: expect.services("", v, s, 1), current)
        total, first = current = expect.services("", status, sort, 1)
        got.append(
            (
                "/services filter by status",
                t.measure(
                    "change",
                    shown(total, first),
                    lambda s=status: services.select_option("#filter-status", s),
                ),
            )
        )
        kind = pick(
            SELECT_KINDS, rep, lambda v, st=status, s=sort: expect.services(v, st, s, 1), current
        )
        total, first = current = expect.services(kind, status, sort, 1)
        got.append(
            (
                "/services filter by kind",
                t.measure(
                    "change",
                    shown(total, first),
                    lambda k=kind: services.select_option("#filter-kind", k),
                ),
            )
        )
        sort = pick(
            SELECT_SORTS, rep, lambda v, k=kind, st=status: expect.services(k, st, v, 1), current
        )
        total, first = current = expect.services(kind, status, sort, 1)
        got.append(
            (
                "/services sort",
                t.measure(
                    "change", shown(total, first), lambda s=sort: services.select_option("#sort", s)
                ),
            )
        )
        # back to the whole list (not timed), then the next page
        services.select_option("#filter-kind", "")
        services.select_option("#filter-status", "")
        total, first = current = expect.services("", "", sort, 1)
        services.wait_for_function(f"() => {{{shown(total, first)}}}")
        total, first = expect.services("", "", sort, 2)
        got.append(
            (
                "/services next page",
                t.measure(
                    "click",
                    all_of(text_starts("#page-indicator", "2 "), text_is(FIRST_NAME, first)),
                    lambda: services.click("#page-next"),
                ),
            )
        )
        # product detail: a row's link, until its page shows the product's name
        link = services.locator("#services-table tbody tr th a").nth(rep % 25)
        got.append(
            (
                "product detail (list → /services/<id>)",
                follow(t, link, "/services/", "#product-name"),
            )
        )
        services.go_back()
        services.locator("#services-table").wait_for()
        services.wait_for_function(f"() => {{{text_starts('#page-indicator', '1 ')}}}")
        # ---- FAQ as you type: from the last keystroke to the results shown
        faq.bring_to_front()
        t = Timing(faq)
        word = pick(words, rep, expect.faq, faq_shown)
        n, question = faq_shown = expect.faq(word)
        box = faq.locator("#faq-search")
        box.click()
        faq.keyboard.press("Control+A")
        faq.keyboard.type(word[:-1], delay=40)
        got.append(
            (
                "FAQ search (last key → results)",
                t.measure(
                    "keydown",
                    "const items = document.querySelectorAll('#faq-list .AccordionItem');"
                    f"return items.length === {n}"
                    f" && items[0].textContent.includes({js_str(question)});",
                    lambda w=word: faq.keyboard.press(w[-1]),
                ),
            )
        )
        # ---- ticket reply on the long thread
        ticket.bring_to_front()
        t = Timing(ticket)
        marker = f"Réponse banc {rep}-{slug(str(time.time()))}"
        ticket.locator("#body").fill(marker)
        got.append(
            (
                "ticket reply (240+ messages)",
                t.measure(
                    "click",
                    "const e = document.getElementById('thread');"
                    f"return !!e && e.textContent.includes({js_str(marker)});",
                    lambda: ticket.click("#send"),
                ),
            )
        )
        if keep:
            for key, ms in got:
                add(key, ms)
    floor_ctx.close()
    portal_ctx.close()
    return out
