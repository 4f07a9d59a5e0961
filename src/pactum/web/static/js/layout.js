/* Pactum: wide content scrolls inside its own region, never the whole page, and every region that
   scrolls sideways can be reached and scrolled with the keyboard; every table's header cells are
   scoped and every table named (describeTables, below).

   WCAG 2.1 success criterion 1.4.10 (Reflow): the page fits a 320 px wide screen; a data table may
   keep its columns, but it scrolls in a region of its own. 2.1.1 (Keyboard): a region that scrolls
   takes the focus (tabindex 0), so the arrow keys scroll it, and is named for a screen reader (a
   landmark "region" with the heading of its card or the caption of its table). A refused form's
   summary of errors takes the focus when the page opens (below).

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
    var named = el.querySelector("table[aria-labelledby]");  /* named on the server (pactum.web.a11y) */
    if (named) {
      var ids = named.getAttribute("aria-labelledby").split(/\s+/), said = [];
      for (var k = 0; k < ids.length; k++) said.push(text(document.getElementById(ids[k])));
      if (said.join(" ").trim()) return said.join(" ").trim();
    }
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

  /* WCAG 2.1 1.3.1 (Info and relationships): a data table says what heads each column and row,
     and has a name a screen reader announces when the user reaches it or lists the page's tables.
     The templates write plain <th> cells under a heading; what they leave out is completed here,
     what they wrote is kept:
     - a <th> without scope in a <thead>, or in a row of header cells only, heads its column
       (scope col, colgroup when it spans columns); any other <th> heads its row (row, rowgroup);
     - a table with no <caption>, aria-label or aria-labelledby is named by the nearest heading
       before it (given an id if it has none). A template that means another name writes a caption
       (class "visually-hidden" where the heading already says it to the eye). */
  var headingIds = 0;

  function scopeHeaders(table) {
    var rows = table.rows;
    for (var r = 0; r < rows.length; r++) {
      var row = rows[r], cells = row.cells, headersOnly = true;
      if (row.closest("table") !== table) continue;
      for (var c = 0; c < cells.length; c++) if (cells[c].tagName !== "TH") headersOnly = false;
      var inHead = row.parentElement && row.parentElement.tagName === "THEAD";
      for (var k = 0; k < cells.length; k++) {
        var cell = cells[k];
        if (cell.tagName !== "TH" || cell.hasAttribute("scope")) continue;
        if (inHead || headersOnly) cell.setAttribute("scope", cell.colSpan > 1 ? "colgroup" : "col");
        else cell.setAttribute("scope", cell.rowSpan > 1 ? "rowgroup" : "row");
      }
    }
  }

  function headingBefore(el) {
    var headings = document.querySelectorAll("h1, h2, h3, h4, h5, h6"), found = null;
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) found = headings[i];
      else break;
    }
    return found;
  }

  function nameTable(table) {
    if ((table.caption && text(table.caption)) || table.hasAttribute("aria-label") ||
        table.hasAttribute("aria-labelledby")) return;
    var heading = headingBefore(table);
    if (!heading || !text(heading)) return;
    if (!heading.id) {
      do { headingIds++; } while (document.getElementById("heading-" + headingIds));
      heading.id = "heading-" + headingIds;
    }
    table.setAttribute("aria-labelledby", heading.id);
  }

  function describeTables(root) {
    var tables = root.querySelectorAll("table");
    for (var i = 0; i < tables.length; i++) {
      scopeHeaders(tables[i]);
      nameTable(tables[i]);
    }
  }

  function update() {
    var root = main();
    describeTables(root);
    wrapTables(root);
    mark(root);
  }

  var pending = false;
  function later() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; update(); });
  }

  /* A refused form comes back with a summary of what to correct (an ".error" with role "alert"):
     the focus moves to it, so a screen reader reads it at once and the keyboard goes on from there
     to the fields (WCAG 2.1 3.3.1, 4.1.3). A page opened at one of its parts (#…) keeps its place. */
  function focusErrors(root) {
    var summary = root.querySelector(".error[role=alert]");
    if (!summary || (root === main() && window.location.hash)) return;
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.focus();
  }

  /* A field that goes only with some choices of a select of its form (a refusal's or contest's day
     of leaving goes with an absence or a departure, not with a wrong indication in Eurodac): its
     wrapper carries data-shown-with (the select's name) and data-shown-values (the values it goes
     with, separated by spaces). Its label already says which choices it is for, and the server
     refuses it with another, so without this script the form works as written; with it, the field
     is hidden and disabled (not sent) while another choice is made. A field the server refused
     (aria-invalid) stays in view, so its problem can be read and corrected. */
  function showWith(root) {
    var fields = root.querySelectorAll("[data-shown-with]");
    for (var i = 0; i < fields.length; i++) {
      (function (field) {
        var form = field.closest("form");
        var select = form && form.elements.namedItem(field.getAttribute("data-shown-with"));
        if (!select || !select.addEventListener) return;
        var values = (field.getAttribute("data-shown-values") || "").split(/\s+/);
        var inputs = field.querySelectorAll("input, select, textarea");
        function apply() {
          var on = values.indexOf(select.value) >= 0 || !!field.querySelector("[aria-invalid=true]");
          field.hidden = !on;
          for (var k = 0; k < inputs.length; k++) inputs[k].disabled = !on;
        }
        select.addEventListener("change", apply);
        apply();
      })(fields[i]);
    }
  }

  update();
  showWith(main());
  focusErrors(main());
  document.addEventListener("htmx:afterSettle", function (e) { showWith(e.target); focusErrors(e.target); });
  window.addEventListener("load", later);
  window.addEventListener("resize", later);
  document.addEventListener("toggle", later, true);  /* a <details> opened: its tables now have a width */
  document.addEventListener("htmx:afterSettle", later);  /* content swapped in by htmx */
  if (window.ResizeObserver) {
    new window.ResizeObserver(later).observe(main());  /* a chart drawn, a font loaded */
  }
})();
