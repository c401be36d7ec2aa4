// django_celery_beat's periodic task form (templates/admin/djcelery/change_periodictask_form.html):
// show the chosen crontab in words under the crontab field. Its inline script, moved here
// because the CSP allows no inline script.
(function () {
  "use strict";
  var $ = django.jQuery;
  var readable = JSON.parse(document.getElementById("readable-crontabs").textContent);
  var helpText = JSON.parse(document.getElementById("crontab-help-text").textContent);

  function update(additional) {
    var help = $(".field-crontab .help");
    help.text(helpText);
    if (additional) {
      help.append(document.createElement("br"), document.createTextNode(additional));
    }
  }

  $(".field-crontab").change(function () {
    update(readable[$("#id_crontab").val()]);
  });
})();
