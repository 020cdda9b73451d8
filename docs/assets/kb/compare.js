// Compare companies side by side. Reads the static index next to this script; the choice of
// companies lives in the query string (?ids=a,b,c) so a comparison can be shared as a link.
(function () {
  "use strict";
  var root = document.getElementById("kb-compare");
  if (!root) return;
  var el = window.kbTools.el;

  function link(text, page, base) {
    return el("a", { href: new URL(page, base).href }, [text]);
  }

  function list(items) {
    if (!items.length) return document.createTextNode("None recorded");
    return el("ul", {}, items.map(function (i) { return el("li", {}, [i]); }));
  }

  var ROWS = [
    ["Chinese name", function (c) { return c.name_zh || "—"; }],
    ["Sanctions and export controls", function (c) {
      if (!c.sanctions.listings.length) return c.sanctions.summary;
      return list(c.sanctions.listings.map(function (s) {
        return s.regime + ": " + s.status + ", listed " + s.listed_on +
          (s.in_force_from ? ", in force " + s.in_force_from : "") +
          (s.removed_on ? ", removed " + s.removed_on : "") +
          " (" + s.authority + "; " + s.citation + "; checked " + s.last_checked + ")";
      }));
    }],
    ["Investors", function (c) {
      return list(c.investors.map(function (i) {
        return i.name + (i.state_linked ? " (state-linked)" : "") + (i.date ? ", " + i.date : "") +
          (i.amount ? ", " + i.amount : "");
      }));
    }],
    ["Controversies and enforcement", function (c, base) {
      return list(c.controversies.map(function (e) {
        return el("span", {}, [e.date + ": ", link(e.name, e.page, base)]);
      }));
    }],
    ["Use cases", function (c, base) {
      return list(c.use_cases.map(function (u) { return link(u.name, u.page, base); }));
    }],
    ["Founded", function (c) { return c.founded || "—"; }],
    ["Headquarters", function (c) { return c.headquarters || "—"; }],
    ["Stock listings", function (c) { return list(c.stock_listings); }],
    ["Last reviewed", function (c) { return c.reviewed; }]
  ];

  function selectedIds() {
    var raw = new URLSearchParams(location.search).get("ids") || "";
    return raw.split(",").filter(Boolean);
  }

  function render(companies, base) {
    var byId = {};
    companies.forEach(function (c) { byId[c.id] = c; });
    var chosen = selectedIds().filter(function (id) { return byId[id]; });

    var filter = el("input", { type: "search", id: "kb-compare-filter", placeholder: "Filter the list",
      "aria-describedby": "kb-compare-help" });
    var boxes = el("div", { "class": "kb-compare-choices", role: "group", "aria-labelledby": "kb-compare-legend" });
    companies.forEach(function (c) {
      var id = "kb-compare-" + c.id;
      var box = el("input", { type: "checkbox", id: id, value: c.id });
      box.checked = chosen.indexOf(c.id) !== -1;
      box.addEventListener("change", update);
      boxes.appendChild(el("label", { "for": id, "data-name": (c.name + " " + (c.name_zh || "")).toLowerCase() },
        [box, " " + c.name + (c.name_zh ? " " + c.name_zh : "")]));
    });
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      Array.prototype.forEach.call(boxes.children, function (label) {
        label.hidden = q !== "" && label.getAttribute("data-name").indexOf(q) === -1;
      });
    });
    var status = el("p", { id: "kb-compare-status", role: "status", "aria-live": "polite" });
    var output = el("div", { id: "kb-compare-output" });
    root.replaceChildren(
      el("fieldset", {}, [
        el("legend", { id: "kb-compare-legend" }, ["Companies to compare"]),
        el("p", { id: "kb-compare-help" }, ["Tick two or more companies. Type to filter the list."]),
        el("label", { "for": "kb-compare-filter" }, ["Filter"]), filter, boxes
      ]),
      status, output
    );

    function update() {
      var ids = Array.prototype.filter.call(boxes.querySelectorAll("input"), function (b) { return b.checked; })
        .map(function (b) { return b.value; });
      var params = new URLSearchParams(location.search);
      if (ids.length) params.set("ids", ids.join(",")); else params.delete("ids");
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
      draw(ids.map(function (id) { return byId[id]; }));
    }

    function draw(selected) {
      output.replaceChildren();
      if (!selected.length) {
        status.textContent = "No company chosen yet.";
        return;
      }
      status.textContent = "Comparing " + selected.length + (selected.length === 1 ? " company." : " companies.");
      var head = el("tr", {}, [el("th", { scope: "col" }, ["Fact"])].concat(selected.map(function (c) {
        return el("th", { scope: "col" }, [link(c.name, c.page, base)]);
      })));
      var body = ROWS.map(function (row) {
        return el("tr", {}, [el("th", { scope: "row" }, [row[0]])].concat(selected.map(function (c) {
          var value = row[1](c, base);
          return el("td", {}, [typeof value === "string" ? value : value]);
        })));
      });
      var table = el("table", {}, [
        el("caption", {}, ["Companies side by side"]), el("thead", {}, [head]), el("tbody", {}, body)
      ]);
      output.appendChild(el("div", { "class": "md-typeset__scrollwrap kb-compare-table" }, [el("div", { "class": "md-typeset__table" }, [table])]));
    }

    update();
  }

  window.kbTools.load(root, render);
})();
