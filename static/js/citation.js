// "Copy citation" on a record page (templates/records/record_detail.html). A file, not an
// inline script: the CSP allows none. The button is in the page but hidden; this script
// shows it. Without scripts the citation stays plain text to select and copy by hand.
"use strict";
(function () {
  var box = document.querySelector(".copy-citation");
  var citation = document.querySelector(".cite .citation");
  if (!box || !citation) return;
  var button = box.querySelector("button");
  var status = box.querySelector(".copy-status");

  function selectCitation() {
    var range = document.createRange();
    range.selectNodeContents(citation);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyBySelection() {
    selectCitation();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function say(copied) {
    // The citation is left selected when copying failed, ready for Ctrl+C.
    if (!copied) selectCitation();
    status.textContent = copied ? button.dataset.copied : button.dataset.failed;
  }

  button.addEventListener("click", function () {
    var text = citation.textContent.trim();
    status.textContent = "";
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { say(true); },
        function () { say(copyBySelection()); }
      );
    } else {
      say(copyBySelection());
    }
  });
  box.hidden = false;
})();
