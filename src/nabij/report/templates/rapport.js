(function () {
  "use strict";
  // Hover or keyboard focus on a region shows its details in the box under the map.
  document.querySelectorAll("svg.regiokaart").forEach(function (svg) {
    var box = document.getElementById("info-" + svg.id);
    if (!box) { return; }
    var initial = box.textContent;
    svg.querySelectorAll("path.regio").forEach(function (p) {
      var show = function () { box.textContent = p.getAttribute("aria-label"); };
      p.addEventListener("mouseenter", show);
      p.addEventListener("focus", show);
      p.addEventListener("blur", function () { box.textContent = initial; });
    });
  });
  // Printing: open every data table so that paper holds the same information.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.setAttribute("open", ""); });
  });
})();
