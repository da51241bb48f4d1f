// Tandem's own script around textual-serve's terminal (static/vendor/js/textual.js).
"use strict";
(function () {
  // A file the app delivers (family copy, CSV export) is downloaded through a link, which a
  // pop-up blocker does not stop. The URL is relative to the page.
  window.tandemDownload = function (url) {
    const link = document.createElement("a");
    link.href = url;
    link.download = "";
    link.rel = "noopener";
    link.style.display = "none";
    document.body.appendChild(link);
    link.click();
    link.remove();
  };

  // What the terminal shows, row by row (used by the tests and benchmarks; handy for anyone).
  window.tandem = {
    screenText: function () {
      const session = window.textualSession;
      if (!session) {
        return "";
      }
      const terminal = session.terminal;
      const buffer = terminal.buffer.active;
      const rows = [];
      for (let y = 0; y < terminal.rows; y++) {
        const line = buffer.getLine(buffer.viewportY + y);
        rows.push(line ? line.translateToString(true) : "");
      }
      return rows.join("\n");
    },
    connected: function () {
      const session = window.textualSession;
      return !!(session && session.socket && session.socket.readyState === 1);
    },
  };

  document.addEventListener("DOMContentLoaded", function () {
    // The app's websocket is next to this page, whatever name and path the page is served at.
    const terminal = document.getElementById("terminal");
    const url = new URL("ws", window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.search = "";
    url.hash = "";
    terminal.dataset.sessionWebsocketUrl = url.href;
    document.querySelectorAll("[data-action=restart]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.location.reload();
      });
    });
  });

  // Keys go to the app straight away, without a click into the terminal first.
  window.addEventListener("load", function () {
    setTimeout(function () {
      if (window.textualSession) {
        window.textualSession.terminal.focus();
      }
    }, 0);
  });
})();
