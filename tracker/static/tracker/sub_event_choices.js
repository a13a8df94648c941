// Sub-event choices follow the event type on the incident form: options of other event types
// are hidden, and a sub-event that no longer fits is cleared. The server checks the pair anyway.
"use strict";
(function () {
  function follow(eventType, subEvent) {
    for (const option of subEvent.options) {
      const fits = !option.value || !eventType.value || option.dataset.eventType === eventType.value;
      option.hidden = !fits;
      option.disabled = !fits;
    }
    if (subEvent.selectedOptions.length && subEvent.selectedOptions[0].disabled) {
      subEvent.value = "";
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    const eventType = document.getElementById("id_event_type");
    const subEvent = document.getElementById("id_sub_event_type");
    if (!eventType || !subEvent) {
      return;
    }
    follow(eventType, subEvent);
    eventType.addEventListener("change", function () {
      follow(eventType, subEvent);
    });
  });
})();
