// /kapasitet/treffsikkerhet while the backtest runs: ask again every few seconds
// (the element's data-refresh), so the page needs no reload by hand.
"use strict";
document.querySelectorAll("[data-refresh]").forEach((element) => {
  const seconds = Number(element.getAttribute("data-refresh")) || 5;
  window.setTimeout(() => window.location.reload(), seconds * 1000);
});
