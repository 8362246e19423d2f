/*
 * The λ explorer (docs/explorer.md): a slider over precomputed networks.
 *
 * The page embeds, as the text of a hidden <div id="l2book-explorer-data">, the payload the
 * example `explorer_data` computed at build time: for every λ the train and dev error, the
 * Frobenius norm of each weight matrix, and ŷ on a grid over the plane (one byte per grid point,
 * base64). Not a <script type="application/json">: Material's instant navigation re-creates
 * inline scripts without their attributes and runs them as JavaScript. This script only draws
 * what is there: no request, no server, so it works offline and from file://. Everything it
 * shows is a number from the payload, formatted.
 *
 * Accessibility: the control is a native <input type="range"> with a <label> (arrow keys,
 * Home/End, Page Up/Down), its aria-valuetext reads "λ = …", the canvas has a text alternative
 * that follows the slider, and a polite aria-live region announces each new state.
 */
(function () {
  "use strict";

  // Okabe–Ito colours and the pale ŷ shading of l2book.figures (blue ↔ ŷ near 0, orange ↔ near 1).
  var BLUE = "#0072B2";
  var ORANGE = "#E69F00";
  var SHADE = ["#BCD9EE", "#CBE2F2", "#DAEBF6", "#E8F2F9", "#F6FAFC",
               "#FDF9F0", "#FBF0DA", "#F8E6C3", "#F6DDAD", "#F3D497"];
  var SHADE_RGB = SHADE.map(function (hex) {
    return [1, 3, 5].map(function (i) { return parseInt(hex.substr(i, 2), 16); });
  });

  function formatLambda(lam) {
    if (lam === 0) return "0";
    var text = Number(lam.toPrecision(3)).toString();
    return text.indexOf("e") >= 0 ? lam.toExponential(2) : text;
  }

  function percent(x) {
    return (100 * x).toFixed(1) + "%";
  }

  function decode(base64) {
    var raw = atob(base64);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function niceTicks(lo, hi) {
    var span = hi - lo;
    var step = Math.pow(10, Math.floor(Math.log10(span / 4)));
    if (span / step > 10) step *= 2;
    if (span / step > 10) step *= 2.5;
    var ticks = [];
    for (var t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) {
      ticks.push(Math.abs(t) < 1e-9 ? 0 : t);
    }
    return ticks;
  }

  function element(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { el.setAttribute(name, attrs[name]); });
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function Explorer(root, data) {
    this.root = root;
    this.data = data;
    this.grids = data.proba.map(decode);
    this.maxNorm = Math.max.apply(null, data.weight_norms.map(function (row) {
      return Math.max.apply(null, row);
    }));
    this.build();
    this.show(Number(this.slider.value));
  }

  Explorer.prototype.build = function () {
    var data = this.data;
    var root = this.root;
    var self = this;
    var controls = element("div", { "class": "l2book-explorer__controls" });
    var label = element("label", { "for": "l2book-explorer-lambda" }, "Regularization strength λ");
    this.slider = element("input", {
      type: "range", id: "l2book-explorer-lambda", min: "0",
      max: String(data.lams.length - 1), step: "1", value: "0",
    });
    this.lambdaOut = element("output", {
      "for": "l2book-explorer-lambda", "class": "l2book-explorer__lambda",
      id: "l2book-explorer-lambda-value",
    });
    controls.appendChild(label);
    controls.appendChild(this.slider);
    controls.appendChild(this.lambdaOut);

    var body = element("div", { "class": "l2book-explorer__body" });
    this.canvas = element("canvas", {
      "class": "l2book-explorer__canvas", id: "l2book-explorer-canvas",
      width: "480", height: "420", role: "img",
    });
    var panel = element("div", { "class": "l2book-explorer__numbers" });
    var errors = element("dl", { "class": "l2book-explorer__errors" });
    this.trainOut = element("dd", { id: "l2book-explorer-train" });
    this.devOut = element("dd", { id: "l2book-explorer-dev" });
    errors.appendChild(element("dt", {}, "Training error"));
    errors.appendChild(this.trainOut);
    errors.appendChild(element("dt", {}, "Dev error"));
    errors.appendChild(this.devOut);
    panel.appendChild(errors);
    panel.appendChild(element("p", { "class": "l2book-explorer__norms-title" },
                              "Weight norm of each layer, ‖W[l]‖F"));
    this.bars = [];
    var sizes = data.layer_sizes;
    for (var l = 0; l < sizes.length - 1; l++) {
      var row = element("div", { "class": "l2book-explorer__norm" });
      row.appendChild(element("span", { "class": "l2book-explorer__norm-label" },
        "W[" + (l + 1) + "] (" + sizes[l + 1] + "×" + sizes[l] + ")"));
      var track = element("span", { "class": "l2book-explorer__bar-track", "aria-hidden": "true" });
      var bar = element("span", { "class": "l2book-explorer__bar" });
      track.appendChild(bar);
      row.appendChild(track);
      var value = element("span", { "class": "l2book-explorer__norm-value" });
      row.appendChild(value);
      panel.appendChild(row);
      this.bars.push({ bar: bar, value: value });
    }
    panel.appendChild(element("p", { "class": "l2book-explorer__legend" },
      "Points: training set (circles y = 0, triangles y = 1). Line: the decision boundary ŷ = ½."));
    body.appendChild(this.canvas);
    body.appendChild(panel);

    this.readout = element("p", {
      "class": "l2book-explorer__readout", id: "l2book-explorer-readout",
      "aria-live": "polite", "aria-atomic": "true",
    });
    root.appendChild(controls);
    root.appendChild(body);
    root.appendChild(this.readout);
    this.slider.addEventListener("input", function () { self.show(Number(self.slider.value)); });
  };

  Explorer.prototype.show = function (k) {
    var data = this.data;
    var lam = formatLambda(data.lams[k]);
    var norms = data.weight_norms[k];
    this.slider.setAttribute("aria-valuetext", "λ = " + lam);
    this.lambdaOut.textContent = "λ = " + lam;
    this.trainOut.textContent = percent(data.train_error[k]);
    this.devOut.textContent = percent(data.dev_error[k]);
    for (var l = 0; l < this.bars.length; l++) {
      this.bars[l].bar.style.width = (100 * norms[l] / this.maxNorm).toFixed(1) + "%";
      this.bars[l].value.textContent = norms[l].toFixed(2);
    }
    var normText = norms.map(function (n, i) { return "W[" + (i + 1) + "] " + n.toFixed(2); });
    var summary = "λ = " + lam + ": training error " + percent(data.train_error[k]) +
      ", dev error " + percent(data.dev_error[k]) + "; weight norms " + normText.join(", ") + ".";
    this.readout.textContent = summary;
    this.canvas.setAttribute("aria-label", "Decision boundary of the network trained with " +
      summary.replace(/;/, " —") + " The " + data.points.y.length +
      " training points of the two noisy moons are drawn over the shaded prediction ŷ.");
    this.root.setAttribute("data-index", String(k));
    this.draw(k);
  };

  Explorer.prototype.draw = function (k) {
    var canvas = this.canvas;
    var ctx = canvas.getContext("2d");
    var W = canvas.width, H = canvas.height;
    var m = { left: 46, right: 10, top: 10, bottom: 40 };
    var pw = W - m.left - m.right, ph = H - m.top - m.bottom;
    var data = this.data;
    var R = data.resolution;
    var grid = this.grids[k];
    var e = data.extent; // x1_min, x1_max, x2_min, x2_max
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, W, H);

    // ŷ at every pixel of the plot area by bilinear interpolation of the 64 × 64 grid.
    var values = new Float32Array(pw * ph);
    for (var py = 0; py < ph; py++) {
      var r = (1 - (py + 0.5) / ph) * (R - 1);
      var r0 = Math.min(Math.floor(r), R - 2), fr = r - r0;
      for (var px = 0; px < pw; px++) {
        var c = ((px + 0.5) / pw) * (R - 1);
        var c0 = Math.min(Math.floor(c), R - 2), fc = c - c0;
        var i = r0 * R + c0;
        var top = grid[i] * (1 - fc) + grid[i + 1] * fc;
        var bottom = grid[i + R] * (1 - fc) + grid[i + R + 1] * fc;
        values[py * pw + px] = (top * (1 - fr) + bottom * fr) / 255;
      }
    }
    var image = ctx.createImageData(pw, ph);
    var pix = image.data;
    for (var j = 0; j < values.length; j++) {
      var v = values[j];
      var x = j % pw;
      var above = v > 0.5;
      // A pixel is on the boundary when ŷ − ½ changes sign toward its right or lower neighbour.
      var edge = (x + 1 < pw && (values[j + 1] > 0.5) !== above) ||
                 (j + pw < values.length && (values[j + pw] > 0.5) !== above);
      var rgb = edge ? [0, 0, 0] : SHADE_RGB[Math.min(9, Math.floor(v * 10))];
      pix[4 * j] = rgb[0];
      pix[4 * j + 1] = rgb[1];
      pix[4 * j + 2] = rgb[2];
      pix[4 * j + 3] = 255;
    }
    ctx.putImageData(image, m.left, m.top);

    function sx(x1) { return m.left + (x1 - e[0]) / (e[1] - e[0]) * pw; }
    function sy(x2) { return m.top + (1 - (x2 - e[2]) / (e[3] - e[2])) * ph; }

    var pts = data.points;
    for (var p = 0; p < pts.y.length; p++) {
      var X = sx(pts.x1[p]), Y = sy(pts.x2[p]);
      ctx.beginPath();
      if (pts.y[p] === 1) {
        ctx.moveTo(X, Y - 4.5);
        ctx.lineTo(X + 4, Y + 3);
        ctx.lineTo(X - 4, Y + 3);
        ctx.closePath();
        ctx.fillStyle = ORANGE;
      } else {
        ctx.arc(X, Y, 3.3, 0, 2 * Math.PI);
        ctx.fillStyle = BLUE;
      }
      ctx.fill();
      ctx.lineWidth = 0.8;
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
    }

    // Axes: frame, ticks and labels, in the figures' dark grey on white.
    ctx.strokeStyle = "#333333";
    ctx.lineWidth = 1;
    ctx.strokeRect(m.left + 0.5, m.top + 0.5, pw - 1, ph - 1);
    ctx.fillStyle = "#333333";
    ctx.font = "12px sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    niceTicks(e[0], e[1]).forEach(function (t) {
      var X = Math.round(sx(t)) + 0.5;
      ctx.beginPath(); ctx.moveTo(X, m.top + ph); ctx.lineTo(X, m.top + ph + 4); ctx.stroke();
      ctx.fillText(String(Number(t.toFixed(2))), X, m.top + ph + 6);
    });
    ctx.fillText("x₁", m.left + pw / 2, H - 16);
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    niceTicks(e[2], e[3]).forEach(function (t) {
      var Y = Math.round(sy(t)) + 0.5;
      ctx.beginPath(); ctx.moveTo(m.left - 4, Y); ctx.lineTo(m.left, Y); ctx.stroke();
      ctx.fillText(String(Number(t.toFixed(2))), m.left - 6, Y);
    });
    ctx.save();
    ctx.translate(12, m.top + ph / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = "center";
    ctx.fillText("x₂", 0, 0);
    ctx.restore();
  };

  function init() {
    var root = document.getElementById("l2book-explorer");
    var source = document.getElementById("l2book-explorer-data");
    if (!root || !source || root.getAttribute("data-ready") === "true") return;
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (error) {
      root.appendChild(element("p", { role: "alert" },
        "The explorer's data could not be read (" + error.message + ")."));
      return;
    }
    root.setAttribute("data-ready", "true");
    root.explorer = new Explorer(root, data);
  }

  // Material's instant navigation swaps pages without reloading scripts; document$ emits on
  // every page (including the first). Without it (file:// build), run once the DOM is there.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
