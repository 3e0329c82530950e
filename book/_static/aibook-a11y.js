/* Accessibility of the book's pages (checked by tests/test_a11y.py with axe-core in headless Chromium).
 *
 * 1. Provenance notes. A glued number or a table cell with its source is a disclosure button:
 *      <span class="aibook-ref"><span class="aibook-num" role="button" tabindex="0" aria-expanded="false"
 *            aria-controls="N" aria-describedby="N">VALUE</span><span class="aibook-src" id="N" role="note">…</span></span>
 *    Tab reaches it (the note shows while it has focus, and a screen reader reads the note as its description);
 *    Enter or Space opens it, Esc closes it, a click or tap toggles it. The note's link to the data appendix
 *    is a sibling of the button, never inside it. Markup that still nests the note inside the number (the
 *    tables' cells) is brought into this shape here.
 * 2. The theme's navigation: a <summary> that only shows a chevron gets a name ("展开或收起：<section>").
 */
(function () {
  "use strict";
  let counter = 0;

  function shape(num) {
    let ref = num.parentElement;
    const inner = num.querySelector(":scope > .aibook-src");
    if (!ref || !ref.classList.contains("aibook-ref")) {
      ref = document.createElement("span");
      ref.className = "aibook-ref";
      num.parentNode.insertBefore(ref, num);
      ref.appendChild(num);
    }
    if (inner) ref.appendChild(inner);  // the note leaves the button: its link stays a link of its own
    const note = ref.querySelector(":scope > .aibook-src");
    if (!note) return null;
    if (!note.id) note.id = "aibook-note-js-" + (++counter);
    num.setAttribute("role", "button");
    num.setAttribute("tabindex", "0");
    num.setAttribute("aria-controls", note.id);
    num.setAttribute("aria-describedby", note.id);
    if (!num.hasAttribute("aria-expanded")) num.setAttribute("aria-expanded", "false");
    return ref;
  }

  function setOpen(ref, open) {
    const num = ref.querySelector(":scope > .aibook-num");
    ref.classList.toggle("aibook-open", open);
    ref.classList.toggle("aibook-dismissed", !open);
    if (num) num.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function wire(ref) {
    const num = ref.querySelector(":scope > .aibook-num");
    num.addEventListener("focus", () => setOpen(ref, true));
    num.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " " || e.key === "Spacebar") {
        e.preventDefault();
        setOpen(ref, true);
      }
    });
    // a click or tap first focuses the number (which opens the note): the click toggles what was there before
    let wasOpen = false;
    num.addEventListener("pointerdown", () => { wasOpen = ref.classList.contains("aibook-open"); });
    num.addEventListener("click", (e) => {
      e.preventDefault();
      setOpen(ref, !wasOpen);
      wasOpen = !wasOpen;
    });
    ref.addEventListener("keydown", (e) => {
      if (e.key === "Escape" || e.key === "Esc") {
        if (ref.classList.contains("aibook-dismissed")) return;
        e.preventDefault();
        e.stopPropagation();
        setOpen(ref, false);
        num.focus({preventScroll: true});
        setOpen(ref, false);
      }
    });
    ref.addEventListener("focusout", (e) => {
      if (!ref.contains(e.relatedTarget)) {
        ref.classList.remove("aibook-open", "aibook-dismissed");
        num.setAttribute("aria-expanded", "false");
      }
    });
    ref.addEventListener("mouseleave", () => ref.classList.remove("aibook-dismissed"));
  }

  function notes() {
    document.querySelectorAll(".aibook-num").forEach((num) => {
      const ref = shape(num);
      if (ref && !ref.dataset.aibookWired) {
        ref.dataset.aibookWired = "1";
        wire(ref);
      }
    });
  }

  function summaries() {
    document.querySelectorAll("summary").forEach((summary) => {
      // MyST-NB names the toggle of a hidden code cell in English: say it in Chinese
      if (summary.getAttribute("aria-label") === "Toggle hidden content") {
        summary.setAttribute("aria-label", "展开或收起代码");
        return;
      }
      if (summary.textContent.trim() || summary.hasAttribute("aria-label")) return;
      const item = summary.closest("li");
      const link = item && item.querySelector(":scope > a");
      const name = link ? link.textContent.trim() : "";
      summary.setAttribute("aria-label", name ? "展开或收起：" + name : "展开或收起");
    });
  }

  // The theme's interface words that it does not translate for zh_CN (or gives in traditional characters):
  // tooltips and screen-reader names, in simplified Chinese
  const WORDS = {
    "Color mode": "颜色模式", "Main": "主导航", "Page": "本页导航", "Search this book...": "搜索本书……",
    "Link to this heading": "指向本节的链接", "System Settings": "跟随系统设置", "Light": "浅色", "Dark": "深色",
    "Toggle primary sidebar": "显示或隐藏目录侧栏", "Toggle secondary sidebar": "显示或隐藏本页目录",
    "Download this page": "下载本页", "Fullscreen mode": "全屏", "Search": "搜索", "列印成 PDF": "打印成 PDF",
  };

  function interfaceWords() {
    document.querySelectorAll("[aria-label], [title], [data-bs-title]").forEach((el) => {
      ["aria-label", "title", "data-bs-title"].forEach((attr) => {
        const value = el.getAttribute(attr);
        if (value && Object.prototype.hasOwnProperty.call(WORDS, value.trim())) el.setAttribute(attr, WORDS[value.trim()]);
      });
    });
    document.querySelectorAll(".btn__text-container, .theme-switch-button span, button span").forEach((el) => {
      const value = el.textContent.trim();
      if (el.children.length === 0 && Object.prototype.hasOwnProperty.call(WORDS, value)) el.textContent = WORDS[value];
    });
  }

  function init() {
    notes();
    summaries();
    interfaceWords();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
