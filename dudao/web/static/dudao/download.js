// Downloads that take a while (the Excel ledger of a whole province) show their progress:
// links marked data-progress-download are fetched here, the bytes received are shown in
// the element the attribute names, then the file is saved under the server's file name.
// Without fetch streams the link works as a plain download.
(function () {
  "use strict";

  function fileName(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var star = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (star) return decodeURIComponent(star[1]);
    var plain = /filename="?([^";]+)"?/i.exec(header);
    return plain ? plain[1] : fallback;
  }

  // A link marked data-filter-link carries the current values of its form (the ledger's
  // filters) as its query, read when it is clicked.
  function withFormQuery(link) {
    var form = link.closest("form");
    if (!form) return;
    link.href = link.href.split("?")[0] + "?" + new URLSearchParams(new FormData(form)).toString();
  }

  document.addEventListener("click", function (event) {
    var filtered = event.target.closest && event.target.closest("a[data-filter-link]");
    if (filtered) withFormQuery(filtered);
    var link = event.target.closest && event.target.closest("a[data-progress-download]");
    if (!link || !window.fetch || !window.ReadableStream) return;
    event.preventDefault();
    var status = document.getElementById(link.getAttribute("data-progress-download"));
    var say = function (text) { if (status) { status.hidden = false; status.textContent = text; } };
    say("正在导出，请稍候…");
    fetch(link.href, { credentials: "same-origin" }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("text/html") === 0) {
        window.location.href = link.href;  // let the page show the error in full
        return;
      }
      var total = Number(response.headers.get("Content-Length")) || 0;
      var reader = response.body.getReader();
      var chunks = [];
      var received = 0;
      function pump() {
        return reader.read().then(function (step) {
          if (step.done) return;
          chunks.push(step.value);
          received += step.value.length;
          var kb = Math.round(received / 1024);
          say(total ? "正在下载：" + Math.round((received * 100) / total) + "%（" + kb + " KB）"
                    : "正在下载：" + kb + " KB");
          return pump();
        });
      }
      return pump().then(function () {
        var url = URL.createObjectURL(new Blob(chunks, { type: type }));
        var a = document.createElement("a");
        a.href = url;
        a.download = fileName(response, "台账.xlsx");
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        say("已导出（" + Math.round(received / 1024) + " KB）");
      });
    }).catch(function () { say("导出失败，请检查网络后重试"); });
  });
})();
