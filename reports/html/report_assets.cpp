#include "reports/html/report_assets.h"

namespace slowscope::html {

std::string_view report_page_css() {
  return R"css(
:root{--bg:#fff;--fg:#1d2330;--muted:#5c6475;--line:#dde1e8;--card:#f6f7f9;--accent:#2f5fd0;
--warn:#a35f00;--warn-bg:#fff4e0;--crit:#b3261e;--crit-bg:#fdeceb;--ok:#1e7d46;--ok-bg:#e6f4ec;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace}
@media (prefers-color-scheme:dark){:root{--bg:#14171c;--fg:#e3e6eb;--muted:#9aa3b2;--line:#2c323c;
--card:#1b1f26;--accent:#7ea2f5;--warn:#f0b155;--warn-bg:#33270f;--crit:#f2867e;--crit-bg:#3a1c1a;
--ok:#6fd29a;--ok-bg:#17301f}}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
main,header.top,nav.toc,footer{max-width:1180px;margin:0 auto;padding:0 20px}
header.top{padding-top:24px}
.brand{font-weight:600;letter-spacing:.04em;color:var(--accent);text-transform:uppercase;font-size:12px}
h1{font-size:26px;margin:4px 0 8px}
h2{font-size:19px;margin:36px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:0 0 8px;font-weight:600}
.table-wrap+h3{margin-top:20px}
p{margin:6px 0}
.muted{color:var(--muted)}
.period{font-size:15px}
nav.toc{position:sticky;top:0;background:var(--bg);border-bottom:1px solid var(--line);z-index:1;
display:flex;flex-wrap:wrap;gap:4px 18px;padding-top:10px;padding-bottom:10px;font-size:14px}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin:16px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card .label{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.card .value{font-size:24px;font-weight:600;font-variant-numeric:tabular-nums}
.card .sub{font-size:13px;color:var(--muted)}
.card.warn{border-color:var(--warn);background:var(--warn-bg)}
.up{color:var(--crit)}.down{color:var(--ok)}
.table-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{padding:7px 10px;text-align:left;vertical-align:top;border-bottom:1px solid var(--line)}
tr:last-child td{border-bottom:0}
th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);
background:var(--card);white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th button{font:inherit;color:inherit;background:none;border:0;padding:0;cursor:pointer;
text-transform:inherit;letter-spacing:inherit}
th button::after{content:"";margin-left:4px}
th[aria-sort=ascending] button::after{content:"\25B2"}
th[aria-sort=descending] button::after{content:"\25BC"}
code,pre,.sql{font-family:var(--mono);font-size:13px}
.sql{word-break:break-word;white-space:pre-wrap}
td .sql{display:block;min-width:16em;max-width:560px}
time{white-space:nowrap}
pre{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px;
overflow-x:auto;white-space:pre-wrap;word-break:break-word}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;
white-space:nowrap}
.badge.critical{background:var(--crit-bg);color:var(--crit)}
.badge.warning{background:var(--warn-bg);color:var(--warn)}
.badge.open{background:var(--crit-bg);color:var(--crit)}
.badge.resolved{background:var(--ok-bg);color:var(--ok)}
.shape{border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:14px 0}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:4px 16px;
margin:8px 0 12px;font-size:14px}
.facts div{min-width:0;overflow-wrap:anywhere}
.facts div span{display:block;font-size:12px;color:var(--muted)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(440px,100%),1fr));gap:12px}
.charts svg{width:100%;height:auto}
.controls{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:center;margin:8px 0}
.controls input{font:inherit;padding:5px 8px;border:1px solid var(--line);border-radius:6px;
background:var(--bg);color:var(--fg);width:24em;max-width:100%}
.controls button{font:inherit;padding:4px 10px;border:1px solid var(--line);border-radius:6px;
background:var(--card);color:var(--fg);cursor:pointer}
.controls button:disabled{opacity:.5;cursor:default}
.note{background:var(--warn-bg);border:1px solid var(--warn);border-radius:8px;padding:8px 12px}
footer{margin:40px auto 30px;font-size:13px;color:var(--muted)}
@media (max-width:640px){body{font-size:14px}h1{font-size:21px}
main,header.top,nav.toc,footer{padding:0 12px}.card .value{font-size:20px}
td .sql{min-width:12em;max-width:260px}}
)css";
}

std::string_view report_page_script() {
  return R"js(
(function () {
  'use strict';
  var block = document.getElementById('shapes-data');
  var table = document.getElementById('shapes-table');
  if (!block || !table) return;
  var data = JSON.parse(block.textContent);
  var rows = data.rows;
  var cols = data.columns;
  var pageSize = 100;
  var state = { sort: data.sort, desc: true, filter: '', page: 0 };
  var body = table.tBodies[0];
  var filter = document.getElementById('shape-filter');
  var info = document.getElementById('shape-page-info');
  var prev = document.getElementById('shape-prev');
  var next = document.getElementById('shape-next');
  var controls = document.getElementById('shape-controls');
  var staticNote = document.getElementById('shapes-static-note');

  function matches(row) {
    if (!state.filter) return true;
    return row.search.indexOf(state.filter) !== -1;
  }
  // Number columns sort by their values, text columns by the text shown.
  function sortValue(row) {
    return cols[state.sort].num ? row.values[state.sort] : row.texts[state.sort];
  }
  function compare(a, b) {
    var x = sortValue(a), y = sortValue(b);
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    var order = x < y ? -1 : 1;
    return state.desc ? -order : order;
  }
  function cell(col, row) {
    var td = document.createElement('td');
    var text = row.texts[col];
    if (cols[col].num) td.className = 'num';
    if (cols[col].sql) {
      var span = document.createElement('span');
      span.className = 'sql';
      span.textContent = text;
      if (row.anchor) {
        var a = document.createElement('a');
        a.setAttribute('href', '#' + row.anchor);
        a.appendChild(span);
        td.appendChild(a);
      } else {
        td.appendChild(span);
      }
    } else {
      td.textContent = text;
    }
    return td;
  }
  function render() {
    var shown = rows.filter(matches);
    shown.sort(compare);
    var pages = Math.max(1, Math.ceil(shown.length / pageSize));
    if (state.page >= pages) state.page = pages - 1;
    var start = state.page * pageSize;
    var fragment = document.createDocumentFragment();
    shown.slice(start, start + pageSize).forEach(function (row) {
      var tr = document.createElement('tr');
      for (var c = 0; c < cols.length; c++) tr.appendChild(cell(c, row));
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
    info.textContent = shown.length === 0 ? 'No shape matches.' :
      (start + 1) + '\u2013' + Math.min(start + pageSize, shown.length) + ' of ' + shown.length +
      (shown.length === rows.length ? ' shapes' : ' matching shapes (' + rows.length + ' in all)');
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) {
      if (i === state.sort) heads[i].setAttribute('aria-sort', state.desc ? 'descending' : 'ascending');
      else heads[i].removeAttribute('aria-sort');
    }
  }
  rows.forEach(function (row) {
    row.search = (row.texts[0] + ' ' + row.id + ' ' + row.texts[1]).toLowerCase();
  });
  var buttons = table.tHead.querySelectorAll('button[data-col]');
  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener('click', function () {
      var col = Number(button.getAttribute('data-col'));
      if (state.sort === col) state.desc = !state.desc;
      else { state.sort = col; state.desc = !!cols[col].num; }
      state.page = 0;
      render();
    });
  });
  filter.addEventListener('input', function () {
    state.filter = filter.value.trim().toLowerCase();
    state.page = 0;
    render();
  });
  prev.addEventListener('click', function () { state.page--; render(); });
  next.addEventListener('click', function () { state.page++; render(); });
  controls.hidden = false;
  if (staticNote) staticNote.hidden = true;
  render();
})();
)js";
}

}  // namespace slowscope::html
