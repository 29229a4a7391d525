// Swagger UI for /api/docs/, started from a file so the page needs no inline script.
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    // The default would show a badge fetched from validator.swagger.io: no other host.
    validatorUrl: null,
    // The API is read-only: "Try it out" is offered for GET only.
    supportedSubmitMethods: ["get"],
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
