// Search page: type-ahead on enterprise and project names (also by pinyin), sort that applies at
// once, and "load more" in place.
// Everything works without it: the type-ahead is a shortcut, sort and load-more are plain links.
(function () {
  "use strict";

  function typeahead(box) {
    var input = box.querySelector("input[name=q]");
    var list = box.querySelector(".suggestions");
    var suggestUrl = box.dataset.suggestUrl;
    // Where a suggestion leads and the tag after its name, by its kind.
    var kinds = {
      enterprise: { url: box.dataset.enterpriseUrl.replace(/0$/, ""), label: box.dataset.enterpriseLabel },
      project: { url: box.dataset.projectUrl.replace(/0$/, ""), label: box.dataset.projectLabel }
    };
    var timer = null;
    var latest = 0;
    var active = -1;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      input.setAttribute("aria-expanded", "false");
      active = -1;
    }

    function show(items) {
      list.innerHTML = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        var kind = kinds[item.kind] || kinds.enterprise;
        a.href = kind.url + item.id;
        a.textContent = item.name; // text, never HTML: names come from users
        var tag = document.createElement("span");
        tag.className = "suggestion-kind";
        tag.textContent = " " + kind.label;
        a.appendChild(tag);
        a.id = "suggestion-" + i;
        a.setAttribute("role", "option");
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      if (text.length < 1) { close(); return; }
      var ticket = ++latest;
      // The session cookie authenticates the API call, as it does the page.
      fetch(suggestUrl + "?" + new URLSearchParams({ q: text, size: "8" }), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : [];
      }).then(function (items) {
        if (ticket === latest) { show(items); } // drop answers that arrive out of order
      }).catch(close);
    }

    function move(step) {
      var options = list.querySelectorAll("a");
      if (!options.length) { return; }
      if (active >= 0) { options[active].removeAttribute("aria-selected"); }
      active = (active + step + options.length) % options.length;
      options[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[active].id);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = list.querySelectorAll("a")[active].href;
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
  }

  function loadMore(link) {
    link.addEventListener("click", function (event) {
      var hits = document.querySelector("ol.hits");
      if (!hits || !window.DOMParser) { return; }
      event.preventDefault();
      link.setAttribute("aria-busy", "true");
      fetch(link.href, { credentials: "same-origin" }).then(function (response) {
        return response.text();
      }).then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html");
        next.querySelectorAll("ol.hits > li").forEach(function (li) {
          hits.appendChild(document.importNode(li, true));
        });
        var further = next.querySelector("a.load-more");
        if (further) {
          link.href = further.href;
          link.removeAttribute("aria-busy");
        } else {
          link.remove();
        }
      }).catch(function () { window.location.href = link.href; });
    });
  }

  document.querySelectorAll(".typeahead").forEach(typeahead);
  document.querySelectorAll("a.load-more").forEach(loadMore);
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
