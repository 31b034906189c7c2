// drafter serve: the page's own small script (htmx does the requests).
// - every save answers with a `drafter:saved` event carrying the file's new version: all forms
//   take it, so the next save is checked against the file as it is now;
// - refusals (conflict, expired page, bad value) come back as 4xx with a Chinese message: show
//   it in the message bar instead of dropping it, and leave what the user typed where it is.
(function () {
  "use strict";
  document.addEventListener("drafter:saved", function (event) {
    var version = event.detail && event.detail.version;
    if (!version) return;
    document.querySelectorAll("input.version").forEach(function (input) { input.value = version; });
    var editor = document.getElementById("editor");
    if (editor) editor.dataset.version = version;
    document.querySelectorAll("form.dirty").forEach(function (form) { form.classList.remove("dirty"); });
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status >= 400) {  // the server words every refusal and failure in Chinese
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:responseError", function () {
    var bar = document.getElementById("messages");
    if (bar) bar.innerHTML = '<p class="msg msg-error" role="alert">服务没有响应，修改可能未保存：请确认 drafter serve 仍在运行，然后再保存一次。</p>';
  });
  document.addEventListener("htmx:sendError", function () {
    var bar = document.getElementById("messages");
    if (bar) bar.innerHTML = '<p class="msg msg-error" role="alert">无法连接 drafter serve：修改未保存，文字仍在页面上。请确认服务仍在运行后再保存。</p>';
  });
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form");
    if (form) form.classList.add("dirty");
  });
  // a chosen file's name beside the (hidden, browser-language) file input
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("label.file-pick input[type=file]")) return;
    var shown = input.closest("form").querySelector(".file-name");
    if (shown) shown.textContent = input.files.length ? input.files[0].name : "未选择文件";
  });
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form.dirty")) { event.preventDefault(); event.returnValue = ""; }
  });
})();
