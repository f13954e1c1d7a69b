// The tour planner's form: today's date by default, and the interest weights folded into one query value
// (interests=beach:3,culture:1) so the tour's address is a short link to share.
(function () {
  "use strict";
  var form = document.getElementById("tour-form");
  if (!form) { return; }
  var date = document.getElementById("tour-date");
  if (date && !date.value) {
    var now = new Date();
    date.value = now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" +
      String(now.getDate()).padStart(2, "0");
  }
  form.addEventListener("submit", function () {
    var parts = [];
    form.querySelectorAll(".interest-weight").forEach(function (input) {
      if (input.value !== "1") { parts.push(input.dataset.category + ":" + input.value); }
      input.disabled = true;  // not sent one by one
    });
    document.getElementById("tour-interests").value = parts.join(",");
    ["tour-end", "tour-must", "tour-interests"].forEach(function (id) {
      var el = document.getElementById(id);
      if (el && !el.value) { el.disabled = true; }
    });
  });
})();
