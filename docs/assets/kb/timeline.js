// Timeline filter: by event type and by involved record. Plain script, no dependency.
// State lives in the query string (?type=lawsuit&entity=megvii) so a filtered view can be shared.
(function () {
  "use strict";
  function setUp() {
    var form = document.getElementById("kb-timeline-filter");
    if (!form) return;
    var typeSelect = document.getElementById("kb-filter-type");
    var entitySelect = document.getElementById("kb-filter-entity");
    var status = document.getElementById("kb-filter-status");
    var events = Array.prototype.slice.call(document.querySelectorAll(".kb-event"));
    var years = Array.prototype.slice.call(document.querySelectorAll(".kb-year"));

    function hasOption(select, value) {
      return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    }

    function apply(updateUrl) {
      var type = typeSelect.value;
      var entity = entitySelect.value;
      var shown = 0;
      events.forEach(function (el) {
        var involves = (el.getAttribute("data-involves") || "").split(" ");
        var match = (!type || el.getAttribute("data-type") === type) &&
          (!entity || involves.indexOf(entity) !== -1);
        el.hidden = !match;
        if (match) shown += 1;
      });
      years.forEach(function (section) {
        section.hidden = !section.querySelector(".kb-event:not([hidden])");
      });
      status.textContent = (type || entity)
        ? "Showing " + shown + " of " + events.length + " events."
        : "Showing all " + events.length + " events.";
      if (updateUrl) {
        var params = new URLSearchParams();
        if (type) params.set("type", type);
        if (entity) params.set("entity", entity);
        var query = params.toString();
        history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
      }
    }

    var params = new URLSearchParams(location.search);
    if (hasOption(typeSelect, params.get("type") || "")) typeSelect.value = params.get("type") || "";
    if (hasOption(entitySelect, params.get("entity") || "")) entitySelect.value = params.get("entity") || "";
    typeSelect.addEventListener("change", function () { apply(true); });
    entitySelect.addEventListener("change", function () { apply(true); });
    document.getElementById("kb-filter-reset").addEventListener("click", function () {
      typeSelect.value = "";
      entitySelect.value = "";
      apply(true);
    });
    form.hidden = false;
    apply(false);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
