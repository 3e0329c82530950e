// Exhibits (labelled tables and figures): the copy-link button and the citation's full link.
// A button copies the page's URL with the exhibit's anchor; the result is announced in a polite live region.
(function () {
  "use strict";
  function linkTo(anchor) {
    return location.origin + location.pathname + "#" + anchor;
  }
  function announce(text) {
    let region = document.getElementById("aibook-exhibit-status");
    if (!region) {
      region = document.createElement("div");
      region.id = "aibook-exhibit-status";
      region.className = "aibook-visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      const ok = document.execCommand && document.execCommand("copy");
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }
  function init() {
    document.querySelectorAll(".aibook-exhibit-links").forEach(function (box) {
      const anchor = box.getAttribute("data-anchor");
      const cite = box.querySelector(".aibook-citation");
      if (cite && anchor && cite.textContent.endsWith("#" + anchor)) {
        cite.textContent = cite.textContent.slice(0, -(anchor.length + 1)) + linkTo(anchor);
      }
    });
    document.querySelectorAll("button.aibook-copy-link").forEach(function (button) {
      button.addEventListener("click", function () {
        const url = linkTo(button.getAttribute("data-anchor"));
        copy(url).then(function () {
          button.classList.add("aibook-copied");
          announce("已复制链接：" + url);
          window.setTimeout(function () { button.classList.remove("aibook-copied"); }, 1500);
        }, function () {
          announce("无法自动复制，请手动复制：" + url);
        });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
