// Charts of the operator console, drawn by ECharts (served from its webjar). The data comes from the page
// itself, in data-series attributes (escaped by the template engine); no inline script, so the
// Content-Security-Policy can forbid inline scripts altogether.
(function () {
  'use strict';
  document.querySelectorAll('header nav a').forEach(function (a) {
    if (location.pathname === a.getAttribute('href') || location.pathname.indexOf(a.getAttribute('href') + '/') === 0) {
      a.classList.add('active');
    }
  });
  if (typeof echarts === 'undefined') {
    return;
  }
  var charts = [];
  document.querySelectorAll('[data-chart]').forEach(function (element) {
    var data = JSON.parse(element.getAttribute('data-series'));
    var chart = echarts.init(element, null, { renderer: 'canvas' });
    chart.setOption(element.getAttribute('data-chart') === 'runs' ? runsOption(data) : errorsOption(data));
    charts.push(chart);
    element.setAttribute('data-rendered', 'true');
  });
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });

  function runsOption(d) {
    var labels = d.runs.map(function (r) { return r.substring(0, 15); });
    return {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { data: ['Silver', 'Quarantined', 'Condemned', 'Quarantine rate %'] },
      grid: { left: 50, right: 50, top: 40, bottom: 50 },
      xAxis: { type: 'category', data: labels, axisLabel: { rotate: 20, fontSize: 10 } },
      yAxis: [{ type: 'value', name: 'rows' }, { type: 'value', name: '%', min: 0 }],
      series: [
        { name: 'Silver', type: 'bar', stack: 'rows', data: d.silver, itemStyle: { color: '#3d8b5a' } },
        { name: 'Quarantined', type: 'bar', stack: 'rows', data: d.quarantined, itemStyle: { color: '#e0a030' } },
        { name: 'Condemned', type: 'bar', stack: 'rows', data: d.condemned, itemStyle: { color: '#c0392b' } },
        { name: 'Quarantine rate %', type: 'line', yAxisIndex: 1, data: d.rate, itemStyle: { color: '#1f5fa8' } }
      ]
    };
  }

  function errorsOption(d) {
    var codes = Object.keys(d.codes);
    return {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { data: codes, type: 'scroll' },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: d.days },
      yAxis: { type: 'value', name: 'rows' },
      series: codes.map(function (code) { return { name: code, type: 'bar', stack: 'codes', data: d.codes[code] }; })
    };
  }
})();
