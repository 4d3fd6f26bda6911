// The report's one script: plain DOM code, no library; clicks are delegated from the document.
(function () {
  function all(root, sel) { return root ? Array.prototype.slice.call(root.querySelectorAll(sel)) : []; }
  function marks(sec, span) { return all(sec.querySelector('pre.src'), 'mark[data-span="' + span + '"]'); }
  function cells(sec, span) { return all(sec.querySelector('.data'), '.val[data-span="' + span + '"]'); }
  function clear() { all(document, '.active').forEach(function (el) { el.classList.remove('active'); }); }
  function say(sec, text) { var s = sec.querySelector('.srcstatus'); if (s) s.textContent = text; }

  // Scroll the pane itself rather than calling scrollIntoView on the mark: that would also scroll the
  // page and pull the flag the reader just clicked out of sight. The mark is centred in the part of the
  // pane that is on screen; only when the pane is (nearly) off screen is the page scrolled to it.
  function reveal(pane, el) {
    var box = pane.getBoundingClientRect();
    if (Math.min(box.bottom, innerHeight) - Math.max(box.top, 0) < 160) {
      pane.scrollIntoView({block: 'nearest'});
      box = pane.getBoundingClientRect();
    }
    var top = Math.max(box.top, 0), bottom = Math.min(box.bottom, innerHeight), r = el.getBoundingClientRect();
    if (r.height > (bottom - top) / 2) {  // a long region (a whole section): show where it starts
      pane.scrollTop += r.top - top - 24;
    } else {
      pane.scrollTop += (r.top + r.height / 2) - (top + bottom) / 2;
    }
  }

  function describe(cell) {
    var was = cell.querySelector('.was'), text = cell.textContent;
    if (was) text = text.slice(was.textContent.length).trim();
    return 'Value ' + text + ' — ' + cell.getAttribute('data-status') + (was ? ', printed ' + was.textContent : '') +
      ' · ' + cell.getAttribute('data-path');
  }

  function show(sec, spans, index, label) {
    clear();
    spans.forEach(function (sp) {
      marks(sec, sp).concat(cells(sec, sp)).forEach(function (el) { el.classList.add('active'); });
    });
    var pane = sec.querySelector('pre.src');
    if (!pane) { say(sec, label + ' — the source text is unavailable'); return; }
    var target = marks(sec, spans[index])[0];
    say(sec, target ? label : label + ' — not found in the source');  // first: the label's height moves the pane
    if (target) reveal(pane, target);
  }

  function onFlag(row) {
    var spans = (row.getAttribute('data-spans') || '').split(' ').filter(Boolean);
    if (!spans.length) return;
    var sec = row.closest('section.doc');
    var wasActive = row.classList.contains('active');
    var i = wasActive ? (Number(row.getAttribute('data-i') || 0) + 1) % spans.length : 0;
    show(sec, spans, i, 'Flag ' + row.getAttribute('data-flag') + ': place ' + (i + 1) + ' of ' + spans.length +
         (spans.length > 1 ? ' (click the flag again for the next)' : ''));
    row.setAttribute('data-i', i);
    row.classList.add('active');
  }

  document.addEventListener('click', function (ev) {
    var t = ev.target;
    var chip = t.closest('button.chip[data-span]');
    if (chip) {
      var sec = chip.closest('section.doc');
      show(sec, [chip.getAttribute('data-span')], 0, 'Value ' + chip.textContent);
      chip.closest('tr.flag').classList.add('active');
      return;
    }
    var row = t.closest('tr.flag');
    if (row) { onFlag(row); return; }
    var cell = t.closest('.data .val[data-span]');
    if (cell) {
      show(cell.closest('section.doc'), [cell.getAttribute('data-span')], 0, describe(cell));
      return;
    }
    var mark = t.closest('pre.src mark[data-span]');
    if (mark) {
      var s = mark.closest('section.doc'), found = cells(s, mark.getAttribute('data-span'));
      if (found.length) {
        clear();
        found.concat(marks(s, mark.getAttribute('data-span'))).forEach(function (el) { el.classList.add('active'); });
        found[0].scrollIntoView({block: 'center'});
      }
    }
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && ev.target.matches && ev.target.matches('tr.flag')) onFlag(ev.target);
  });
})();
