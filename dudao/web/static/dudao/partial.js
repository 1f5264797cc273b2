// One rule for partial updates (htmx): an answer the server gives with a message is shown
// where the user acted, and the form keeps what was typed.
// - 4xx with a fragment (a form with its errors, a table of bad rows): swapped into the
//   target like a success; htmx by default drops every 4xx answer without a word.
// - 4xx with a whole page (无权操作, 未找到, 请求无效): its heading and message are shown in an
//   alert just above the element that sent the request; nothing else on the page changes.
// - 5xx, a lost connection or a timeout: a Chinese sentence in that same alert.
(function () {
  "use strict";

  var AREA_CLASS = "partial-error";

  function anchorOf(elt) {
    // A control inside a form (a filter select) speaks for its form.
    return (elt && elt.closest && elt.closest("form")) || elt;
  }

  function areaFor(elt) {
    var anchor = anchorOf(elt);
    if (!anchor || !anchor.parentNode) return null;
    var named = anchor.getAttribute && anchor.getAttribute("data-error-area");
    if (named && document.getElementById(named)) return document.getElementById(named);
    var before = anchor.previousElementSibling;
    if (before && before.classList.contains(AREA_CLASS)) return before;
    var area = document.createElement("div");
    area.className = "error " + AREA_CLASS;
    area.setAttribute("role", "alert");
    area.hidden = true;
    anchor.parentNode.insertBefore(area, anchor);
    return area;
  }

  function show(elt, text) {
    var area = areaFor(elt);
    if (!area) return;
    area.textContent = text;
    area.hidden = false;
    if (area.scrollIntoView) area.scrollIntoView({ block: "nearest" });
  }

  function clear(elt) {
    var anchor = anchorOf(elt);
    var before = anchor && anchor.previousElementSibling;
    if (before && before.classList.contains(AREA_CLASS)) {
      before.hidden = true;
      before.textContent = "";
    }
  }

  function isWholePage(text) {
    return /^\s*<!doctype html|<html[\s>]/i.test(text);
  }

  // "无权操作：只有上级督导人员才能…" from the error page's card.
  function messageOfPage(text, status) {
    var doc = new DOMParser().parseFromString(text, "text/html");
    var main = doc.querySelector("main") || doc.body;
    var heading = main.querySelector("h1");
    var paragraph = main.querySelector("h1 ~ p, .error, p");
    var parts = [];
    if (heading && heading.textContent.trim()) parts.push(heading.textContent.trim());
    if (paragraph && paragraph.textContent.trim()) parts.push(paragraph.textContent.trim());
    return parts.length ? parts.join("：") : "操作未完成（错误 " + status + "），请刷新页面后重试";
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    clear(event.detail.elt);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status < 400 || xhr.status >= 500) return;
    var text = xhr.responseText || "";
    if (!text.trim()) {
      event.detail.shouldSwap = false;
      show(event.detail.elt, "操作未完成（错误 " + xhr.status + "），请刷新页面后重试");
    } else if (isWholePage(text)) {
      event.detail.shouldSwap = false;
      show(event.detail.elt, messageOfPage(text, xhr.status));
    } else {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr.status >= 500) {
      show(event.detail.elt, "服务器出错，操作未完成。请稍后重试；如仍不行，请联系系统管理员。");
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    show(event.detail.elt, "无法连接服务器，请检查网络后重试。");
  });

  document.addEventListener("htmx:timeout", function (event) {
    show(event.detail.elt, "服务器长时间没有响应，请稍后重试。");
  });
})();
