// The map of /map/ (templates/records/deployment_map.html), drawn with the vendored
// Leaflet (static/vendor/leaflet/). A file, not an inline script: the CSP allows none.
//
// It reads two JSON blocks the page carries: #map-config (tile server or none, labels in
// the reader's language) and #map-places (one entry per pair of coordinates, listing the
// deployments there, with the same text as the table below the map). Without scripts,
// or if Leaflet fails to load, the figure stays hidden and the table is the page.
"use strict";
(function () {
  var figure = document.querySelector(".map-figure");
  var element = document.getElementById("deployment-map");
  if (!figure || !element || !window.L) return;
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var places = JSON.parse(document.getElementById("map-places").textContent);
  var withTiles = Boolean(config.tileUrl);
  // Serbia and Kosovo, where nothing is mapped yet.
  var REGION = L.latLngBounds([41.85, 18.8], [46.19, 23.01]);

  figure.hidden = false;
  var map = L.map(element, {
    zoomControl: false,
    // The page scrolls under the wheel; the buttons, keys and pinching zoom.
    scrollWheelZoom: false,
    minZoom: withTiles ? 3 : 5,
    maxZoom: withTiles ? 18 : 11,
  });
  L.control.zoom({ zoomInTitle: config.zoomIn, zoomOutTitle: config.zoomOut }).addTo(map);

  function text(value) {
    // Attributions are HTML to Leaflet: anything configured is shown as text.
    var box = document.createElement("div");
    box.textContent = value;
    return box.innerHTML;
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  function drawOutline() {
    return fetch(config.outlineUrl, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (outline) {
        var layer = L.geoJSON(outline, {
          interactive: false,
          style: function (feature) {
            // Colours are in nadzor.css (the classes win over Leaflet's SVG attributes).
            return {
              className: "map-country" + (feature.properties.focus ? " map-country-focus" : ""),
            };
          },
        }).addTo(map);
        layer.bringToBack();
        map.setMaxBounds(layer.getBounds().pad(0.5));
        outline.features.forEach(function (feature) {
          var name = config.countries[feature.properties.name] || feature.properties.name;
          var label = feature.properties.label;
          var tooltip = L.tooltip({
            permanent: true,
            direction: "center",
            interactive: false,
            className:
              "map-country-label" + (feature.properties.focus ? " map-country-label-focus" : ""),
          })
            .setLatLng([label[1], label[0]])
            .setContent(el("span", null, name))
            .addTo(map);
          // The names only place the map; the table and the markers carry the content.
          tooltip.getElement().setAttribute("aria-hidden", "true");
          tooltip.getElement().removeAttribute("role");
        });
      })
      .catch(function () {
        // The markers still stand on a plain background; the note says what is missing.
      });
  }

  function popupContent(place) {
    var box = el("div", "map-popup");
    box.appendChild(el("p", "map-popup-place", place.name));
    var list = el("ul", "map-popup-list");
    place.items.forEach(function (item) {
      var entry = el("li");
      entry.dataset.deployment = item.id;
      var link = el("a", null, item.title);
      link.href = item.url;
      link.lang = item.lang;
      entry.appendChild(link);
      var facts = [item.technology, item.count, item.date].filter(Boolean).join(" · ");
      entry.appendChild(el("span", "map-popup-facts", facts));
      list.appendChild(entry);
    });
    box.appendChild(list);
    return box;
  }

  // The view first: Leaflet draws layers (and makes their elements) once the map has one.
  var points = places.map(function (place) {
    return [place.lat, place.lon];
  });
  if (withTiles && points.length) {
    map.fitBounds(L.latLngBounds(points).pad(0.3), { maxZoom: 12 });
  } else {
    // The outline says little close up: show the country, and whatever lies beyond it.
    map.fitBounds(points.length ? REGION.extend(L.latLngBounds(points)) : REGION);
  }

  var ready = Promise.resolve();
  if (withTiles) {
    L.tileLayer(config.tileUrl, {
      attribution: text(config.tileAttribution),
      maxZoom: 19,
    }).addTo(map);
  } else {
    element.classList.add("deployment-map-outline");
    map.attributionControl.addAttribution(text(config.outlineAttribution));
    ready = drawOutline();
  }

  var markers = {};
  places.forEach(function (place) {
    var marker = L.marker([place.lat, place.lon], {
      icon: L.divIcon({
        className: "map-marker" + (place.items.length > 1 ? " map-marker-group" : ""),
        html: String(place.items.length),
        iconSize: [34, 34],
      }),
      title: place.label,
      riseOnHover: true,
    }).addTo(map);
    marker.getElement().setAttribute("aria-label", place.label);
    marker.bindPopup(popupContent(place), {
      // Within the map on a phone too: the list scrolls rather than leave the map.
      minWidth: Math.min(220, element.clientWidth - 70),
      maxWidth: Math.min(340, element.clientWidth - 50),
      maxHeight: Math.max(140, element.clientHeight - 190),
      // Clear of the zoom buttons at the top left.
      autoPanPaddingTopLeft: [10, 80],
      autoPanPaddingBottomRight: [10, 10],
    });
    place.items.forEach(function (item) {
      markers[item.id] = marker;
    });
  });

  map.on("popupopen", function (event) {
    var popup = event.popup.getElement();
    var close = popup.querySelector(".leaflet-popup-close-button");
    if (close) {
      close.setAttribute("aria-label", config.closePopup);
      close.title = config.closePopup;
    }
    var first = popup.querySelector(".map-popup-list .is-target a, .map-popup-list a");
    if (first) first.focus({ preventScroll: true });
  });
  map.on("popupclose", function (event) {
    var source = event.popup._source;
    event.popup.getElement().querySelectorAll(".is-target").forEach(function (node) {
      node.classList.remove("is-target");
    });
    if (source && event.popup.getElement().contains(document.activeElement)) {
      source.getElement().focus({ preventScroll: true });
    }
  });


  // /map/#<public id> (a record page's "on the map" link): open that deployment's marker,
  // its entry marked and in view. The table row is marked too (:target, in the CSS).
  function showFromAddress() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var marker = id && markers[id];
    if (!marker) return;
    figure.scrollIntoView({ block: "start" });
    if (withTiles) map.setView(marker.getLatLng(), Math.max(map.getZoom(), 12), { animate: false });
    marker.openPopup();
    var popup = marker.getPopup().getElement();
    var entry = popup.querySelector('[data-deployment="' + CSS.escape(id) + '"]');
    if (!entry) return;
    entry.classList.add("is-target");
    var content = popup.querySelector(".leaflet-popup-content");
    content.scrollTop +=
      entry.getBoundingClientRect().top - content.getBoundingClientRect().top - 8;
    entry.querySelector("a").focus({ preventScroll: true });
  }
  window.addEventListener("hashchange", showFromAddress);
  // After the outline: a layer added while the map pans to a popup is drawn clipped.
  ready.then(showFromAddress);

  // Escape closes a popup from inside it too (Leaflet listens only while the map has focus).
  element.addEventListener("keydown", function (event) {
    if (event.key === "Escape") map.closePopup();
  });
})();
