// l2book: runs the book's examples with Pyodide, off the page's main thread.
//
// Messages in:  {type: "run", id, name, source}
// Messages out: {type: "progress", stage, loaded, total}
//               {type: "output", id, stream: "stdout" | "stderr", text}
//               {type: "truncated", id, limit}
//               {type: "result", id, result (JSON text from l2book.web_run.run), seconds}
//               {type: "failed", id, message}   (the runtime itself could not start)
// Everything is fetched from this file's own folder; the page stops a run by terminating the
// worker (Pyodide cannot be interrupted without cross-origin isolation).
"use strict";

var BASE = new URL("./", self.location.href).href;
var OUTPUT_LIMIT = 200000; // characters of printed output sent to the page per run
var FLUSH_MS = 100;

var manifest = null;
var loaded = 0;
var total = 0;
var stage = "";
var lastProgress = 0;

function progress(force) {
  var now = Date.now();
  if (!force && now - lastProgress < 100) return;
  lastProgress = now;
  self.postMessage({ type: "progress", stage: stage, loaded: loaded, total: total });
}

// Count the bytes of every response, so the page can show how far the first load is.
var realFetch = self.fetch.bind(self);
self.fetch = function (input, init) {
  return realFetch(input, init).then(function (response) {
    if (!response.body || !response.ok) return response;
    var reader = response.body.getReader();
    var counted = new ReadableStream({
      pull: function (controller) {
        return reader.read().then(function (chunk) {
          if (chunk.done) {
            controller.close();
            return;
          }
          loaded += chunk.value.byteLength;
          progress(false);
          controller.enqueue(chunk.value);
        });
      },
      cancel: function (reason) {
        return reader.cancel(reason);
      },
    });
    return new Response(counted, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  });
};

var current = null; // {id, buffers, sent, truncated, lastFlush}

function flush(force) {
  if (!current) return;
  var now = Date.now();
  if (!force && now - current.lastFlush < FLUSH_MS) return;
  current.lastFlush = now;
  ["stdout", "stderr"].forEach(function (stream) {
    var text = current.buffers[stream];
    if (text) {
      current.buffers[stream] = "";
      self.postMessage({ type: "output", id: current.id, stream: stream, text: text });
    }
  });
}

function writer(stream) {
  var decoder = new TextDecoder();
  return {
    write: function (bytes) {
      if (current && !current.truncated) {
        var text = decoder.decode(bytes, { stream: true });
        var room = OUTPUT_LIMIT - current.sent;
        if (text.length > room) {
          text = text.slice(0, room);
          current.truncated = true;
        }
        current.sent += text.length;
        current.buffers[stream] += text;
        flush(current.truncated);
        if (current.truncated) {
          self.postMessage({ type: "truncated", id: current.id, limit: OUTPUT_LIMIT });
        }
      }
      return bytes.length;
    },
  };
}

function sizeOf(names) {
  return names.reduce(function (sum, name) {
    return sum + (manifest.files[name] || 0);
  }, 0);
}

var pyodideReady = null;

function start() {
  if (pyodideReady) return pyodideReady;
  pyodideReady = realFetch(BASE + "runtime.json")
    .then(function (response) {
      if (!response.ok) throw new Error("runtime.json: HTTP " + response.status);
      return response.json();
    })
    .then(function (data) {
      manifest = data;
      var lock = manifest.lock;
      var first = ["pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip",
        "pyodide-lock.json", manifest.wheel].concat(manifest.preload_files);
      total = sizeOf(first);
      stage = "Python " + manifest.python + " (Pyodide " + manifest.pyodide + ")";
      progress(true);
      importScripts(BASE + "pyodide.js");
      return self.loadPyodide({
        indexURL: BASE,
        lockFileURL: BASE + lock,
        env: { MPLBACKEND: "Agg", HOME: "/home/pyodide" },
      });
    })
    .then(function (pyodide) {
      pyodide.setStdout(writer("stdout"));
      pyodide.setStderr(writer("stderr"));
      stage = manifest.preload.join(", ");
      progress(true);
      return pyodide
        .loadPackage(manifest.preload, { messageCallback: function () {}, checkIntegrity: true })
        .then(function () {
          stage = "l2book";
          progress(true);
          return pyodide.loadPackage(BASE + manifest.wheel, { messageCallback: function () {} });
        })
        .then(function () {
          stage = "matplotlib (first import)";
          progress(true);
          pyodide.runPython("import matplotlib.pyplot, l2book, l2book.web_run");
          stage = "ready";
          progress(true);
          return pyodide;
        });
    });
  return pyodideReady;
}

function run(message) {
  return start().then(function (pyodide) {
    current = { id: message.id, buffers: { stdout: "", stderr: "" }, sent: 0, truncated: false,
      lastFlush: 0 };
    // Packages only some examples import (scikit-learn): their size is not counted in advance,
    // so the page shows what is loading without a total.
    stage = "the packages this code imports";
    total = 0;
    var before = loaded;
    return pyodide
      .loadPackagesFromImports(message.source, { messageCallback: function () {} })
      .catch(function () {
        // An import the site does not ship: the run reports it as the reader's error.
      })
      .then(function () {
        if (loaded > before) {
          stage = "ready"; // loaded: the page says the code runs now
          progress(true);
        }
        var started = performance.now();
        var runner = pyodide.pyimport("l2book.web_run");
        var result = runner.run(message.name, message.source);
        runner.destroy();
        var seconds = (performance.now() - started) / 1000;
        flush(true);
        current = null;
        self.postMessage({ type: "result", id: message.id, result: result, seconds: seconds });
      });
  });
}

self.onmessage = function (event) {
  var message = event.data;
  if (message.type !== "run") return;
  run(message).catch(function (error) {
    flush(true);
    current = null;
    self.postMessage({ type: "failed", id: message.id, message: String(error && error.message || error) });
  });
};
