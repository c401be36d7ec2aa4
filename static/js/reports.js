/* KPI trend chart (Chart.js). Data comes from a json_script block: no inline scripts (CSP). */
(function () {
  "use strict";
  function draw() {
    var canvas = document.getElementById("kpi-trend");
    var source = document.getElementById("kpi-trend-data");
    if (!canvas || !source || typeof Chart === "undefined") return;
    var trend = JSON.parse(source.textContent);
    var palette = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997",
                   "#6c757d", "#d63384", "#0dcaf0", "#ffc107", "#212529"];
    new Chart(canvas, {
      type: "line",
      data: {
        labels: trend.labels,
        datasets: trend.series.map(function (s, i) {
          return { label: s.code, data: s.data, borderColor: palette[i % palette.length],
                   backgroundColor: palette[i % palette.length], spanGaps: true, tension: 0.2 };
        })
      },
      options: {
        responsive: true,
        scales: { y: { min: 0, max: 100, title: { display: true, text: "%" } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
