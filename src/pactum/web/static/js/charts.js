// Render every element with data-spec (a Vega-Lite JSON spec) as a chart. Specs are built on the
// server; no data is fetched from anywhere else.
(function () {
  function renderAll(root) {
    root.querySelectorAll("[data-spec]").forEach(function (el) {
      if (el.dataset.rendered) return;
      el.dataset.rendered = "1";
      /* the page names the chart as one image (_partials/chart.html); Vega-Embed gives its
         container roles of its own, which would have a screen reader read the marks one by one.
         A chart written without a name (the weekly report's) is named by its spec. */
      var spec = JSON.parse(el.dataset.spec);
      if (!el.hasAttribute("aria-label")) {
        var title = spec.title && typeof spec.title === "object" && !Array.isArray(spec.title) ? spec.title.text : spec.title;
        el.setAttribute("aria-label", spec.description || (Array.isArray(title) ? title.join(" ") : title) || "Chart");
        el.setAttribute("role", "img");
      }
      var role = el.getAttribute("role"), label = el.getAttribute("aria-label");
      vegaEmbed(el, spec, { actions: false, renderer: "svg" })
        .then(function () {
          if (role) el.setAttribute("role", role);
          if (label) el.setAttribute("aria-label", label);
          el.removeAttribute("aria-roledescription");
          el.setAttribute("data-chart-ready", "1");
        })
        .catch(function (err) {
          /* the message is read as text, not as the name of a picture that is not there */
          el.removeAttribute("role");
          el.removeAttribute("aria-label");
          el.textContent = "Chart could not be drawn: " + err;
        });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { renderAll(document); });
  document.addEventListener("htmx:afterSwap", function (e) { renderAll(e.target); });
})();
