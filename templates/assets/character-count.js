// Candour: counts characters in long answers as people type, like the GOV.UK character count.
// A progressive enhancement: without it the hint states the limit and the server checks it.
// The visible count changes at once; screen readers hear it (aria-live polite) after a pause.
(function () {
  'use strict';
  var format = function (n) { return n.toLocaleString('en-GB'); };
  var message = function (left) {
    if (left >= 0) {
      return 'You have ' + format(left) + (left === 1 ? ' character' : ' characters') + ' remaining';
    }
    var over = -left;
    return 'You have ' + format(over) + (over === 1 ? ' character' : ' characters') + ' too many';
  };
  var fields = document.querySelectorAll('textarea[data-max-length]');
  Array.prototype.forEach.call(fields, function (field) {
    var max = parseInt(field.getAttribute('data-max-length'), 10);
    var count = document.getElementById(field.id + '-count');
    var status = document.getElementById(field.id + '-count-status');
    if (!max || !count || !status) { return; }
    var timer = null;
    var update = function (announce) {
      // Characters as the server counts them (Unicode scalar values), not UTF-16 units.
      var left = max - Array.from(field.value).length;
      count.textContent = message(left);
      count.classList.toggle('character-count-over', left < 0);
      clearTimeout(timer);
      if (announce) {
        timer = setTimeout(function () { status.textContent = message(left); }, 1000);
      }
    };
    count.hidden = false;
    field.addEventListener('input', function () { update(true); });
    update(false);
  });
}());
