// l2book: offers to run each example in the reader's browser. Tiny on purpose: the editor and
// Python load only when a reader presses Run (runner-ui.js, then the worker and Pyodide).
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? new URL(".", script.src).href : null;

  function enhance() {
    var hosts = document.querySelectorAll(".l2book-run[data-runtime]:not([data-enhanced])");
    for (var i = 0; i < hosts.length; i++) offer(hosts[i]);
  }

  function offer(host) {
    // From disk (file://) a browser refuses to start Pyodide: the build's note stays.
    if (!base || location.protocol === "file:") return;
    host.setAttribute("data-enhanced", "");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "l2book-button l2book-button--primary l2book-run-start";
    button.textContent = "Run it here";
    var note = document.createElement("span");
    note.className = "l2book-run-lead";
    note.textContent = " edit the code and run it in your browser (Python loads on first run, about "
      + host.getAttribute("data-runtime-mb") + " MB)";
    host.replaceChildren(button, note);
    button.addEventListener("click", function () {
      button.disabled = true;
      var runtime = new URL(host.getAttribute("data-runtime"), location.href).href;
      import(base + "runner-ui.js")
        .then(function (ui) { return ui.open(host, runtime, true); })
        .catch(function (error) {
          button.disabled = false;
          note.textContent = " could not load the editor: " + error.message;
        });
    });
  }

  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(enhance);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
