/*
 * The comment form on a page served from the page cache carries no CSRF token and no
 * timestamp: the same HTML goes to every reader. This script fetches the reader's own
 * pair from the server as soon as they start writing, and before the form is sent.
 * Without it, the server asks the reader to confirm their comment once (comments/views.py).
 */
(function () {
  "use strict";

  var form = document.getElementById("comment-form");
  if (!form || !form.dataset.tokenUrl || !window.fetch) {
    return;
  }
  var request = null;

  function fill(data) {
    form.elements.csrfmiddlewaretoken.value = data.csrfToken;
    form.elements.timestamp.value = data.timestamp;
  }

  function fetchToken() {
    if (!request) {
      request = fetch(form.dataset.tokenUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("token " + response.status);
          }
          return response.json();
        })
        .then(fill)
        .catch(function () {
          request = null; // try again on the next attempt; the server has a fallback
        });
    }
    return request;
  }

  form.addEventListener("focusin", fetchToken);
  form.addEventListener("submit", function (event) {
    if (form.elements.csrfmiddlewaretoken.value) {
      return;
    }
    event.preventDefault();
    fetchToken().then(function () {
      form.submit();
    });
  });
})();
