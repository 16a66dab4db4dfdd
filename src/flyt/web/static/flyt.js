// Flyt: say above a table that is wider than its box that it scrolls sideways (on a
// phone the columns past the edge are otherwise simply not there). The pages work
// without this script: the box still scrolls, by touch and by keyboard (it is a
// focusable region), and flyt.css shades the edge that hides more.
(function () {
  "use strict";
  var text = document.body.getAttribute("data-scroll-hint") || "";

  function mark(box) {
    var wide = box.scrollWidth > box.clientWidth + 1;
    var hint = box.previousElementSibling;
    var hinted = hint !== null && hint.classList.contains("scroll-hint");
    box.classList.toggle("overflowing", wide);
    if (wide && !hinted && text) {
      hint = document.createElement("p");
      hint.className = "scroll-hint";
      hint.textContent = text;
      box.parentNode.insertBefore(hint, box);
    } else if (!wide && hinted) {
      hint.remove();
    }
  }

  function markAll() {
    document.querySelectorAll(".scroll").forEach(mark);
  }

  var pending = 0;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(markAll, 100);
  });
  // A table inside a closed <details> has no width until it opens ("toggle" does not
  // bubble: listen while it is captured).
  document.addEventListener("toggle", markAll, true);
  markAll();
})();

// A "Skriv ut" button (data-print): hidden in the page until this script can print, so
// without scripts it is not there (the browser's own print menu still works).
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
