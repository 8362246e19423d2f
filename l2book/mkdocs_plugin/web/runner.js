// l2book: offers to run each example in the reader's browser. Small on purpose: the editor and
// Python load only when a reader presses Run (runner-ui.js, then the worker and Pyodide).
// Each example's box is an empty <div class="l2book-run" data-example data-files> (see render.py).
(function () {
  "use strict";
  var FIRST_RUN_MB = __FIRST_RUN_MB__; // null: this build has no runtime (read from disk)
  var script = document.currentScript;
  var base = script ? new URL(".", script.src).href : null;

  function enhance() {
    var hosts = document.querySelectorAll(".l2book-run[data-example]:not([data-enhanced])");
    for (var i = 0; i < hosts.length; i++) offer(hosts[i]);
  }

  function text(tag, className, content) {
    var node = document.createElement(tag);
    node.className = className;
    node.textContent = content;
    return node;
  }

  function offer(host) {
    var name = host.getAttribute("data-example");
    host.setAttribute("data-enhanced", "");
    // Browsers refuse to start Pyodide from disk (file://): say how to run it instead.
    if (FIRST_RUN_MB === null || !base || location.protocol === "file:") {
      var note = text("p", "l2book-run-note", "To run this example in your browser, serve the site ");
      note.appendChild(text("code", "", "make serve"));
      note.appendChild(document.createTextNode(" and open this page there; or run "));
      note.appendChild(text("code", "", "l2book run " + name));
      note.appendChild(document.createTextNode("."));
      host.replaceChildren(note);
      return;
    }
    var button = text("button", "l2book-button l2book-button--primary l2book-run-start", "Run it here");
    button.type = "button";
    var lead = text("span", "l2book-run-lead",
      " edit the code and run it in your browser (Python loads on the first run, about "
      + FIRST_RUN_MB + " MB)");
    host.replaceChildren(button, lead);
    button.addEventListener("click", function () {
      button.disabled = true;
      var files = new URL(host.getAttribute("data-files") || "", location.href).href;
      host.setAttribute("data-source", files + name + ".py");
      host.setAttribute("data-outputs", files + name + ".book.json");
      import(base + "runner-ui.js")
        .then(function (ui) { return ui.open(host, base + "runtime/", true); })
        .catch(function (error) {
          button.disabled = false;
          lead.textContent = " could not load the editor: " + error.message;
        });
    });
  }

  // Now, and after every instant navigation (document$ does not emit on a page read from disk
  // when the served build has instant navigation on).
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
  if (typeof document$ !== "undefined" && document$.subscribe) document$.subscribe(enhance);
})();
