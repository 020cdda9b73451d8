// Name screening against the static index next to this script. The key function repeats
// names.simple_key in hooks/kb/names.py: NFKC, lower case, letters and digits only, and the
// legal-form suffixes the index lists stripped from the end. Nothing typed leaves the browser.
(function () {
  "use strict";
  var root = document.getElementById("kb-screening");
  if (!root) return;
  var el = window.kbTools.el;

  function tokens(name) {
    return name.normalize("NFKC").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function simpleKey(name, index) {
    var parts = tokens(name);
    while (parts.length > 1 && index.latin_suffixes.indexOf(parts[parts.length - 1]) !== -1) parts.pop();
    if (parts.length) {
      var changed = true;
      while (changed) {
        changed = false;
        var last = parts[parts.length - 1];
        for (var i = 0; i < index.chinese_suffixes.length; i++) {
          var suffix = index.chinese_suffixes[i];
          if (last.length > suffix.length && last.slice(-suffix.length) === suffix) {
            parts[parts.length - 1] = last.slice(0, -suffix.length);
            changed = true;
            break;
          }
        }
      }
    }
    return parts.join("");
  }

  function screen(index, base, text) {
    var names = text.split(/\r?\n/).map(function (n) { return n.trim(); }).filter(Boolean);
    return names.map(function (name) {
      var key = simpleKey(name, index);
      var matches = (key && index.keys[key]) || [];
      return { name: name, matches: matches.map(function (m) {
        return { company: index.companies[m.c], on: m.on };
      }) };
    });
  }

  function render(index, base) {
    var area = el("textarea", { id: "kb-screening-input", rows: "8", "aria-describedby": "kb-screening-help",
      spellcheck: "false" });
    var button = el("button", { type: "button", id: "kb-screening-run", "class": "md-button md-button--primary" },
      ["Screen names"]);
    var status = el("p", { id: "kb-screening-status", role: "status", "aria-live": "polite" });
    var output = el("div", { id: "kb-screening-output" });
    root.replaceChildren(
      el("label", { "for": "kb-screening-input" }, ["Company names, one per line"]),
      el("p", { id: "kb-screening-help" }, ["English, Chinese characters, pinyin, former names or aliases."]),
      area, el("p", {}, [button]), status, output
    );

    function run() {
      var results = screen(index, base, area.value);
      var matched = results.filter(function (r) { return r.matches.length; }).length;
      status.textContent = results.length
        ? results.length + " names screened: " + matched + " matched, " + (results.length - matched) + " not matched."
        : "Enter at least one name.";
      output.replaceChildren();
      if (!results.length) return;
      var rows = results.map(function (r) {
        if (!r.matches.length) {
          return el("tr", { "class": "kb-nomatch" }, [
            el("td", {}, [r.name]),
            el("td", { colspan: "3" }, ["No match in this knowledge base. Not a clearance: check the official lists."])
          ]);
        }
        var cells = r.matches.map(function (m) {
          return [el("a", { href: new URL(m.company.page, base).href }, [m.company.name + (m.company.name_zh ? " " + m.company.name_zh : "")]),
            m.on, m.company.status];
        });
        return el("tr", { "class": "kb-match" + (r.matches.some(function (m) { return m.company.active; }) ? " kb-listed" : "") }, [
          el("td", {}, [r.name]),
          el("td", {}, cells.map(function (c) { return el("div", {}, [c[0]]); })),
          el("td", {}, cells.map(function (c) { return el("div", {}, [c[1]]); })),
          el("td", {}, cells.map(function (c) { return el("div", {}, [c[2]]); }))
        ]);
      });
      var table = el("table", {}, [
        el("caption", {}, ["Screening results"]),
        el("thead", {}, [el("tr", {}, ["Name as entered", "Match", "Matched on", "Listing status"].map(function (h) {
          return el("th", { scope: "col" }, [h]);
        }))]),
        el("tbody", {}, rows)
      ]);
      output.appendChild(el("div", { "class": "md-typeset__scrollwrap kb-screening-table" }, [el("div", { "class": "md-typeset__table" }, [table])]));
    }

    button.addEventListener("click", run);
    area.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
    });
  }

  window.kbTools.load(root, render);
})();
