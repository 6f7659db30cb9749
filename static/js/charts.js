// Every chart the Hub draws, with Chart.js (served from our own static files): the statistics page's and the
// classifier versions' in the admin site. Each canvas names the json_script element holding its data
// (triage/charts.py), the same numbers as the table beside it. Without Chart.js the boxes are hidden and the
// tables stand.
(function () {
  "use strict";
  var canvases = document.querySelectorAll("canvas[data-chart-data]");
  if (!canvases.length) { return; }
  if (!window.Chart) {
    Array.prototype.forEach.call(canvases, function (canvas) { canvas.parentNode.classList.add("chart-unavailable"); });
    return;
  }
  var Chart = window.Chart;

  // Each at least 4.5:1 against white (more than the 3:1 a graphic needs). Colour is not the only cue: the
  // legend, the tooltips and the table name every series, lines differ in dash and point shape, and the parts
  // of a stacked bar are parted by a white edge.
  var PALETTE = ["#0a58ca", "#b02a37", "#146c43", "#6f42c1", "#8a5a00", "#495057"];
  var TEXT = "#343a40";
  var GRID = "#dee2e6";
  // Names on the axis are cut short on a phone, so the bars keep most of the width; tooltips and the table
  // give them in full.
  var LONGEST_LABEL = 24;
  var LONGEST_LABEL_NARROW = 14;
  var NARROW = 480;
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  Chart.defaults.color = TEXT;
  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;

  function measured(value) { return value !== null && value !== undefined; }

  function written(value, decimals) { return measured(value) ? value.toFixed(decimals) : "not measured"; }

  // Each bar's value at its end, where there is room for it: read without hovering (a phone has no hover),
  // and the same numbers as the table. Bars side by side also carry their series' name where it fits, so the
  // chart reads without telling the colours apart; a value with no room after its bar goes inside its end.
  var barValues = {
    id: "hubBarValues",
    afterDatasetsDraw: function (chart, args, options) {
      if (!options.show) { return; }
      var ctx = chart.ctx;
      var horizontal = chart.options.indexAxis === "y";
      ctx.save();
      ctx.font = Chart.helpers.toFont(chart.options.font || Chart.defaults.font).string;
      chart.data.datasets.forEach(function (dataset, datasetIndex) {
        var meta = chart.getDatasetMeta(datasetIndex);
        if (meta.hidden) { return; }
        meta.data.forEach(function (bar, index) {
          var value = dataset.data[index];
          var text = written(value, options.decimals);
          var size = bar.getProps(["width", "height"], true);
          ctx.fillStyle = TEXT;
          if (horizontal) {
            if (size.height < 10) { return; }
            var end = measured(value) ? bar.x : chart.scales.x.getPixelForValue(0);
            var room = chart.width - end - 6;
            var named = options.named ? [dataset.label + ": " + text, text] : [text];
            var fits = named.filter(function (one) { return ctx.measureText(one).width <= room; });
            ctx.textBaseline = "middle";
            if (fits.length) {
              ctx.textAlign = "left";
              ctx.fillText(fits[0], end + 4, bar.y);
            } else if (measured(value) && ctx.measureText(text).width + 8 <= size.width) {
              // Every colour of the palette is dark enough for white text on it.
              ctx.fillStyle = "#ffffff";
              ctx.textAlign = "right";
              ctx.fillText(text, end - 4, bar.y);
            }
          } else {
            if (!measured(value)) { return; }
            if (ctx.measureText(text).width > size.width + 6) { return; }
            ctx.textAlign = "center";
            ctx.textBaseline = "bottom";
            ctx.fillText(text, bar.x, bar.y - 3);
          }
        });
      });
      ctx.restore();
    }
  };

  function shortened(label, width) {
    var longest = width < NARROW ? LONGEST_LABEL_NARROW : LONGEST_LABEL;
    return label.length > longest ? label.slice(0, longest - 1) + "…" : label;
  }

  function datasets(data) {
    var line = data.kind === "line";
    var many = data.labels.length > 45;
    return data.series.map(function (series, index) {
      var colour = PALETTE[index % PALETTE.length];
      var dataset = {
        label: series.name, data: series.values, backgroundColor: colour, borderColor: colour, maxBarThickness: 48
      };
      if (line) {
        dataset.borderWidth = 2;
        dataset.borderDash = index % 2 ? [6, 4] : [];
        dataset.pointStyle = index % 2 ? "triangle" : "circle";
        dataset.pointRadius = many ? 0 : 3;
        dataset.pointHoverRadius = 5;
        dataset.pointHitRadius = 8;
      } else if (data.stacked) {
        // A white edge between the parts of a bar, so neighbouring colours do not run together.
        dataset.borderColor = "#ffffff";
        dataset.borderWidth = 1;
      }
      return dataset;
    });
  }

  function options(data) {
    var horizontal = data.kind === "bar" && data.horizontal;
    var several = data.series.length > 1;
    var fixed = data.valueMax !== null && data.valueMax !== undefined;
    var category = {
      stacked: data.stacked,
      grid: { display: false },
      title: { display: true, text: data.categoryName },
      ticks: {
        autoSkip: true,
        autoSkipPadding: 8,
        maxRotation: horizontal ? 0 : 45,
        callback: function (value) { return shortened(String(this.getLabelForValue(value)), this.chart.width); }
      }
    };
    var value = {
      stacked: data.stacked,
      beginAtZero: true,
      // Rates end at 1 whatever the largest; counts leave room at the end of the longest bar for its value.
      max: fixed ? data.valueMax : undefined,
      grace: data.kind === "bar" && !data.stacked && !fixed ? "12%" : 0,
      grid: { color: GRID },
      title: { display: true, text: data.valueName },
      ticks: { precision: data.decimals }
    };
    return {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: still ? false : { duration: 300 },
      interaction: { mode: "index", intersect: false },
      scales: horizontal ? { x: value, y: category } : { x: category, y: value },
      plugins: {
        legend: { display: several, position: "top", labels: { usePointStyle: data.kind === "line" } },
        tooltip: {
          callbacks: {
            title: function (items) { return items.length ? data.fullLabels[items[0].dataIndex] : ""; },
            label: function (item) { return item.dataset.label + ": " + written(item.raw, data.decimals); }
          }
        },
        hubBarValues: {
          show: data.kind === "bar" && !data.stacked, named: several && !data.stacked, decimals: data.decimals
        }
      }
    };
  }

  Array.prototype.forEach.call(canvases, function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart-data"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    new Chart(canvas, { type: data.kind, data: { labels: data.labels, datasets: datasets(data) }, options: options(data), plugins: [barValues] });
  });
})();
