// Page images of PDF sources: boxes follow what the report's own script activates (a flag, a value),
// and a click on a box shows its value. Works beside the report's script, never instead of it.
(function () {
  function all(root, sel) { return root ? Array.prototype.slice.call(root.querySelectorAll(sel)) : []; }

  function showPages(aside, on) {
    aside.classList.toggle('show-pages', on);
    all(aside, '.srctabs button').forEach(function (b) {
      b.setAttribute('aria-pressed', String((b.getAttribute('data-tab') === 'pages') === on));
    });
  }

  function reveal(pane, el) {
    var box = pane.getBoundingClientRect(), r = el.getBoundingClientRect();
    pane.scrollTop += (r.top + r.height / 2) - (box.top + box.height / 2);
    pane.scrollLeft += (r.left + r.width / 2) - (box.left + box.width / 2);
  }

  function follow(sec) {
    var pane = sec && sec.querySelector('.pages');
    if (!pane) return;
    all(pane, '.box.active').forEach(function (b) { b.classList.remove('active'); });
    var spans = {};
    all(sec, '.active[data-span]').forEach(function (el) { spans[el.getAttribute('data-span')] = true; });
    var first = null;
    all(pane, '.box[data-span]').forEach(function (b) {
      if (spans[b.getAttribute('data-span')]) { b.classList.add('active'); first = first || b; }
    });
    if (first && sec.querySelector('aside.source.show-pages')) reveal(pane, first);
  }

  document.addEventListener('click', function (ev) {
    var t = ev.target, tab = t.closest('.srctabs button[data-tab]');
    if (tab) { showPages(tab.closest('aside.source'), tab.getAttribute('data-tab') === 'pages'); return; }
    var box = t.closest('.pg .box[data-span]');
    if (box && !box.classList.contains('region')) {
      var cell = box.closest('section.doc').querySelector('.data .val[data-span="' + box.getAttribute('data-span') + '"]');
      if (cell) { cell.click(); cell.scrollIntoView({block: 'center'}); }
      return;
    }
    // After the report's own handler (registered first) has activated the flag's or value's places.
    follow(t.closest('section.doc'));
  });
})();
