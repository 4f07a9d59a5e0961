/* Pactum: wide content scrolls inside its own region, never the whole page, and every region that
   scrolls sideways can be reached and scrolled with the keyboard.

   WCAG 2.1 success criterion 1.4.10 (Reflow): the page fits a 320 px wide screen; a data table may
   keep its columns, but it scrolls in a region of its own. 2.1.1 (Keyboard): a region that scrolls
   takes the focus (tabindex 0), so the arrow keys scroll it, and is named for a screen reader (a
   landmark "region" with the heading of its card or the caption of its table).

   Loaded from this site (the content security policy runs no inline script). Without it the pages
   work as before; the tables then widen the page on a narrow screen. */
(function () {
  "use strict";

  var MARK = "data-scroll-region";

  function scrolls(el) {
    var o = window.getComputedStyle(el).overflowX;
    return o === "auto" || o === "scroll";
  }

  /* Each table of the page that is not already inside a region that scrolls is wrapped in one. */
  function wrapTables(root) {
    var tables = root.querySelectorAll("table");
    for (var i = 0; i < tables.length; i++) {
      var t = tables[i], p = t.parentElement, inside = false;
      while (p && p !== root.parentElement) {
        if (scrolls(p)) { inside = true; break; }
        p = p.parentElement;
      }
      if (inside) continue;
      var wrap = document.createElement("div");
      wrap.className = "scroll";
      t.parentNode.insertBefore(wrap, t);
      wrap.appendChild(t);
    }
  }

  function text(el) {
    return el ? (el.textContent || "").replace(/\s+/g, " ").trim() : "";
  }

  /* The name of a region: the caption of its table, the heading of its card, or the heading just
     before it. */
  function nameOf(el) {
    var caption = el.querySelector("caption");
    if (text(caption)) return text(caption);
    var heading = el.querySelector("h1, h2, h3, h4, legend");
    if (text(heading)) return text(heading);
    var prev = el.previousElementSibling;
    for (var n = 0; prev && n < 3; n++, prev = prev.previousElementSibling) {
      if (/^H[1-4]$/.test(prev.tagName) && text(prev)) return text(prev);
    }
    var table = el.querySelector("table");
    if (table && table.id) return table.id.replace(/[-_]/g, " ");
    return "Table";
  }

  /* A region that scrolls sideways is focusable and named; one that no longer does (a wider
     window) gives back what it was given. */
  function mark(root) {
    var regions = root.querySelectorAll(".scroll, .card");
    for (var i = 0; i < regions.length; i++) {
      var el = regions[i];
      if (!scrolls(el)) continue;
      var wide = el.scrollWidth > el.clientWidth + 1;
      var ours = el.getAttribute(MARK);
      if (wide && !ours && !el.hasAttribute("tabindex")) {
        var given = ["tabindex"];
        el.setAttribute("tabindex", "0");
        if (!el.hasAttribute("role")) { el.setAttribute("role", "region"); given.push("role"); }
        if (!el.hasAttribute("aria-label") && !el.hasAttribute("aria-labelledby")) {
          el.setAttribute("aria-label", nameOf(el) + " (scrolls sideways)");
          given.push("aria-label");
        }
        el.setAttribute(MARK, given.join(" "));
      } else if (!wide && ours) {
        var names = ours.split(" ");
        for (var j = 0; j < names.length; j++) el.removeAttribute(names[j]);
        el.removeAttribute(MARK);
      }
    }
  }

  function main() {
    return document.querySelector("main") || document.body;
  }

  function update() {
    var root = main();
    wrapTables(root);
    mark(root);
  }

  var pending = false;
  function later() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; update(); });
  }

  update();
  window.addEventListener("load", later);
  window.addEventListener("resize", later);
  document.addEventListener("toggle", later, true);  /* a <details> opened: its tables now have a width */
  document.addEventListener("htmx:afterSettle", later);  /* content swapped in by htmx */
  if (window.ResizeObserver) {
    new window.ResizeObserver(later).observe(main());  /* a chart drawn, a font loaded */
  }
})();
