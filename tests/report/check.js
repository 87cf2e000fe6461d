// Injected by tests/integration/test_reports.c into a copy of index.html (the page itself has
// no script): measures what Chromium actually laid out and writes one line per chart into
// <pre id="check">, which the test reads from --dump-dom:
//   CHART id=<id> width=<px> series=<n> drawn=<n with a non-empty box and >= 2 points>
//         points=<min points of a series> texts=<n> overlaps=<pairs of text boxes that overlap>
//         outside=<texts reaching outside the svg> first=<a label of the first overlap>
(function () {
  var out = [];
  var charts = document.querySelectorAll('svg.chart');
  charts.forEach(function (svg) {
    var box = svg.getBoundingClientRect();
    var series = svg.querySelectorAll('path.series');
    var drawn = 0, minPoints = Infinity;
    series.forEach(function (p) {
      var pts = Number(p.getAttribute('data-points'));
      var segs = (p.getAttribute('d').match(/[ML]/g) || []).length;
      var b = p.getBBox();
      minPoints = Math.min(minPoints, Math.min(pts, segs));
      if (segs >= 2 && (b.width > 0 || b.height > 0)) drawn++;
    });
    var texts = Array.prototype.slice.call(svg.querySelectorAll('text'));
    var rects = texts.map(function (t) { return t.getBoundingClientRect(); });
    var overlaps = 0, outside = 0, first = '';
    for (var i = 0; i < rects.length; i++) {
      var a = rects[i];
      if (a.left < box.left - 0.5 || a.right > box.right + 0.5 ||
          a.top < box.top - 0.5 || a.bottom > box.bottom + 0.5) outside++;
      for (var j = i + 1; j < rects.length; j++) {
        var b = rects[j];
        var w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        // glyph boxes of neighbouring lines touch: 1.5 px of slack
        if (w > 1.5 && h > 1.5) {
          overlaps++;
          if (!first) first = (texts[i].textContent + '|' + texts[j].textContent).replace(/\s+/g, '_');
        }
      }
    }
    out.push('CHART id=' + svg.id + ' width=' + Math.round(box.width) + ' series=' + series.length +
             ' drawn=' + drawn + ' points=' + (series.length ? minPoints : 0) +
             ' texts=' + texts.length + ' overlaps=' + overlaps + ' outside=' + outside +
             ' first=' + (first || '-'));
  });
  var pre = document.createElement('pre');
  pre.id = 'check';
  pre.textContent = 'CHARTS ' + charts.length + '\n' + out.join('\n') + '\nEND\n';
  document.body.appendChild(pre);
})();
