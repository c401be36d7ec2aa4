/* KPI trend as small multiples (Chart.js): one small chart per KPI, its values by quarter
   against a dashed target line, only the quarters that have data. Data comes from a
   json_script block: no inline scripts (CSP). */
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("kpi-trend");
    var source = document.getElementById("kpi-trend-data");
    if (!box || !source || typeof Chart === "undefined") return;
    var trend = JSON.parse(source.textContent);
    var targetLabel = box.getAttribute("data-target-label") || "Mục tiêu";
    trend.series.forEach(function (s) {
      var canvas = document.getElementById("kpi-trend-" + s.code);
      if (!canvas) return;
      var datasets = [{
        label: s.code, data: s.data, borderColor: "#0d6efd", backgroundColor: "#0d6efd",
        tension: 0, spanGaps: true, pointRadius: 3
      }];
      if (s.target !== null) {
        datasets.push({
          label: targetLabel, data: trend.labels.map(function () { return s.target; }),
          borderColor: "#b02a37", borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0
        });
      }
      new Chart(canvas, {
        type: "line",
        data: { labels: trend.labels, datasets: datasets },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          scales: { y: { min: 0, max: 100, ticks: { stepSize: 25 } } },
          plugins: { legend: { display: false } }
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
