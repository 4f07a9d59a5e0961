// Render every element with data-spec (a Vega-Lite JSON spec) as a chart. Specs are built on the
// server; no data is fetched from anywhere else.
(function () {
  function renderAll(root) {
    root.querySelectorAll("[data-spec]").forEach(function (el) {
      if (el.dataset.rendered) return;
      el.dataset.rendered = "1";
      vegaEmbed(el, JSON.parse(el.dataset.spec), { actions: false, renderer: "svg" })
        .then(function () { el.setAttribute("data-chart-ready", "1"); })
        .catch(function (err) { el.textContent = "Chart could not be drawn: " + err; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { renderAll(document); });
  document.addEventListener("htmx:afterSwap", function (e) { renderAll(e.target); });
})();
