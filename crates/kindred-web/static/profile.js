// Kindred profile page: fills an empty time zone field with the browser's
// time zone, if it is one of the listed zones. Nothing else. The page works
// fully without this file, and the server checks every value.
(function () {
  "use strict";
  var input = document.getElementById("timezone");
  var list = document.getElementById("timezone-list");
  if (!input || !list || input.value !== "") {
    return;
  }
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    return;
  }
  var listed = Array.prototype.some.call(list.options, function (option) {
    return option.value === zone;
  });
  if (listed) {
    input.value = zone;
  }
})();
