// Print support: the print header gets the page's address and today's date, and a "Print" button
// is added to the due-diligence card (no inline handlers, so the page's security policy holds).
(function () {
  "use strict";
  function fill() {
    var url = document.querySelector(".kb-print-url");
    var date = document.querySelector(".kb-print-date");
    if (url) url.textContent = location.href.split("#")[0];
    if (date) date.textContent = new Date().toISOString().slice(0, 10);
  }
  window.addEventListener("beforeprint", fill);
  function setUp() {
    fill();
    var title = document.querySelector(".kb-card-title");
    if (!title || title.querySelector("button")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button kb-print-button";
    button.textContent = "Print";
    button.addEventListener("click", function () { window.print(); });
    title.appendChild(document.createTextNode(" "));
    title.appendChild(button);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
