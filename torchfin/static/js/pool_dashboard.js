// Pool dashboard: bad-loan ratio (line, left axis) and month-end balance (bars, right axis) from
// the JSON the page embeds; the table beneath the chart holds the same numbers.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("pool-chart-data").textContent);
  var chart = echarts.init(document.getElementById("pool-chart"), null, { renderer: "canvas" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 60, right: 90, top: 40, bottom: 40 },
    xAxis: { type: "category", data: data.months },
    yAxis: [
      { type: "value", name: data.labels.ratio, min: 0 },
      { type: "value", name: data.labels.balance, min: 0 }
    ],
    series: [
      { type: "bar", name: data.labels.balance, yAxisIndex: 1, data: data.balance },
      { type: "line", name: data.labels.ratio, yAxisIndex: 0, data: data.ratio }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
