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
// A file input's Chinese face (dudao_tags.file_picker): the chosen file's name, or
// 未选择文件, beside the 选择文件 button, also after the form is reset or swapped by htmx.
(function () {
  "use strict";
  function show(input) {
    var picker = input.closest(".file-picker");
    var name = picker && picker.querySelector(".file-name");
    if (!name) return;
    var files = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    var refusal = tooLarge(input);
    name.textContent = refusal || (files.length ? files.join("，") : name.getAttribute("data-empty"));
    name.classList.toggle("error", !!refusal);
    picker.classList.toggle("has-file", files.length > 0);
  }
  // A file past the form's limit (data-max-bytes) is refused here, before it is sent: the
  // server refuses it too, but only after receiving all of it.
  function tooLarge(input) {
    var limit = Number(input.getAttribute("data-max-bytes") || 0);
    var big = Array.prototype.filter.call(input.files || [], function (f) {
      return limit && f.size > limit;
    })[0];
    var mb = function (n) { return Math.round(n / 1048576); };
    var message = big
      ? "文件“" + big.name + "”大小为 " + mb(big.size) + " MB，超过系统上限（" + mb(limit) +
        " MB），不能上传。请拆分或压缩后重新选择。"
      : "";
    input.setCustomValidity(message);
    return message;
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches(".file-input")) show(event.target);
  });
  document.addEventListener("reset", function (event) {
    setTimeout(function () {
      event.target.querySelectorAll(".file-input").forEach(show);
    }, 0);
  });
  function all() { document.querySelectorAll(".file-input").forEach(show); }
  document.addEventListener("DOMContentLoaded", all);
  document.addEventListener("htmx:afterSettle", all);
  window.addEventListener("pageshow", all);  // back button: the browser may keep the file
})();
