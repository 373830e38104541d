// Small enhancement only: pages work without it. A first tap on a citation marker opens
// its source sentence (touch screens have no hover); a second tap follows the link.
"use strict";
document.addEventListener("click", (event) => {
  const marker = event.target instanceof Element ? event.target.closest(".cite") : null;
  for (const open of document.querySelectorAll(".cite.open")) {
    if (open !== marker) open.classList.remove("open");
  }
  if (marker && !marker.classList.contains("open") && !window.matchMedia("(hover: hover)").matches) {
    event.preventDefault();
    marker.classList.add("open");
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    for (const open of document.querySelectorAll(".cite.open")) open.classList.remove("open");
  }
});
