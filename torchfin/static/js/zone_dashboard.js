// Zone dashboard: draws each table of #dashboard-data with ECharts (canvas), no animation so a
// page is complete as soon as it has loaded. The numbers are the API's; nothing is recomputed.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var labels = JSON.parse(document.getElementById("dashboard-labels").textContent);
  var en = labels.language === "en";

  function name(names, code) {
    var pair = names[code];
    return pair ? (en ? pair.en : pair.zh) : code;
  }
  function rowLabel(code) {
    return labels.rows[code] || code;
  }
  function column(table, key) {
    var i = table.columns.indexOf(key);
    return table.rows.map(function (row) { return Number(row[i]); });
  }
  // A policy row's label: the policy's name (and the year on budget rows), or the total's label.
  function policyLabel(table, row) {
    var label = data.policy_names[row[0]] ? name(data.policy_names, row[0]) : rowLabel(row[0]);
    return table.columns[1] === "year" ? label + " " + row[1] : label;
  }
  // The policies' bars (the zone's total row stays in the table only).
  function stackedBars(whole, keys) {
    var table = { columns: whole.columns, rows: whole.rows.filter(function (r) { return r[0] !== "zone_total"; }) };
    var option = base();
    option.grid.left = 220;
    option.legend = { top: 0 };
    option.xAxis = { type: "value" };
    option.yAxis = { type: "category", data: table.rows.map(function (r) { return policyLabel(table, r); }) };
    option.series = keys.map(function (key) {
      return { type: "bar", stack: "total", name: labels.columns[key], data: column(table, key) };
    });
    return option;
  }
  function base() {
    return { animation: false, tooltip: {}, grid: { left: 140, right: 30, top: 40, bottom: 60 } };
  }

  var builders = {
    industry_map: function (table) {
      var zones = Object.keys(data.zone_names);
      var industries = Object.keys(data.industry_names);
      var cells = table.rows.map(function (row) {
        return [industries.indexOf(row[1]), zones.indexOf(row[0]), row[2]];
      });
      var max = Math.max.apply(null, cells.map(function (c) { return c[2]; }).concat([1]));
      var option = base();
      option.grid.bottom = 90;
      option.xAxis = { type: "category", data: industries.map(function (c) { return name(data.industry_names, c); }), axisLabel: { rotate: 30 } };
      option.yAxis = { type: "category", data: zones.map(function (c) { return name(data.zone_names, c); }) };
      option.visualMap = { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0 };
      option.series = [{ type: "heatmap", data: cells, label: { show: true } }];
      return option;
    },
    financing_gap: function (table) {
      var option = base();
      option.legend = { top: 0 };
      option.xAxis = { type: "value" };
      option.yAxis = { type: "category", data: table.rows.map(function (r) { return name(data.industry_names, r[0]); }) };
      option.series = ["demand", "matched", "funded"].map(function (key) {
        return { type: "bar", name: labels.columns[key], data: column(table, key) };
      });
      return option;
    },
    pipeline: function (table) {
      return {
        animation: false,
        tooltip: {},
        series: [{
          type: "funnel", sort: "descending", minSize: "10%",
          data: table.rows.map(function (r) { return { name: rowLabel(r[0]), value: r[1] }; })
        }]
      };
    },
    readiness: function (table) {
      return {
        animation: false,
        tooltip: {},
        legend: { top: 0 },
        series: [{
          type: "pie", radius: ["35%", "65%"],
          data: table.rows.map(function (r) { return { name: rowLabel(r[0]), value: r[1] }; })
        }]
      };
    },
    exposure: function (table) {
      var option = base();
      option.xAxis = { type: "value" };
      option.yAxis = { type: "category", data: table.rows.map(function (r) { return rowLabel(r[0]); }) };
      option.series = [{ type: "bar", name: labels.columns.principal, data: column(table, "principal") }];
      return option;
    },
    // Paid, reserved and left stack up to the year's budget.
    policy_budget: function (table) {
      return stackedBars(table, ["paid", "reserved", "left"]);
    },
    policy_applications: function (table) {
      return stackedBars(table, ["applied", "reviewing", "approved", "rejected", "paid"]);
    },
    policy_leverage: function (table) {
      var option = stackedBars(table, ["loan_principal", "guarantee_amount"]);
      var policies = table.rows.filter(function (r) { return r[0] !== "zone_total"; });
      option.series.push({ type: "bar", name: labels.columns.subsidy_paid, data: column({ columns: table.columns, rows: policies }, "subsidy_paid") });
      return option;
    }
  };

  data.tables.forEach(function (table) {
    var element = document.getElementById("chart-" + table.key);
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(builders[table.key](table));
    element.setAttribute("data-drawn", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
