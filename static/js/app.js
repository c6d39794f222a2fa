// Small behaviours without inline script (CSP: scripts only from our files).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.matches && form.matches("form.confirm") && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
