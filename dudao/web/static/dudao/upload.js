// Upload progress: a form marked data-upload-progress="ID" shows the share of its file sent
// so far in the <progress id="ID"> element while htmx posts it. (A static file rather than
// an hx-on attribute: the Content-Security-Policy allows no inline script and no eval.)
(function () {
  "use strict";
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest && event.target.closest("[data-upload-progress]");
    if (!form || !event.detail.total) return;
    var bar = document.getElementById(form.getAttribute("data-upload-progress"));
    if (!bar) return;
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded * 100) / event.detail.total);
  });
})();
