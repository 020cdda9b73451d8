// Shared by the comparison and screening pages: building elements without innerHTML (so no
// text from the indexes is ever parsed as markup) and loading a page's static index.
(function () {
  "use strict";
  var here = document.currentScript ? document.currentScript.src : location.href;
  window.kbTools = {
    // The site root, from this script's own address (assets/kb/tools.js).
    base: new URL("../../", here),
    el: function (tag, attrs, children) {
      var node = document.createElement(tag);
      Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
      (children || []).forEach(function (c) {
        node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
      });
      return node;
    },
    // Calls render(index, base) with the JSON named by the element's data-index attribute.
    load: function (root, render) {
      var url = new URL(root.getAttribute("data-index"), location.href);
      fetch(url).then(function (r) { return r.json(); }).then(function (data) { render(data, window.kbTools.base); });
    }
  };
})();
