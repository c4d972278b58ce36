extension PageAssets {
    /// The page's only script. It renders the server's state with DOM methods and `textContent`
    /// (never HTML strings built from data), keeps no personal data of its own, and drops every
    /// card from the DOM when the connection goes.
    static let script = #"""
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { last: null, token: sessionStorage.getItem("cccd-console-token") || "", view: "cards", panels: new Map(), focusedFor: new Map() };

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function bi(node, b) {
    node.textContent = "";
    if (!b) return node;
    node.append(document.createTextNode(b.vi + " "));
    node.append(el("span", "en", "(" + b.en + ")"));
    return node;
  }
  function headers(json) {
    const h = { "X-CCCD-Console": "1" };
    if (json) h["Content-Type"] = "application/json";
    if (state.token) h["Authorization"] = "Bearer " + state.token;
    return h;
  }

  // ---- views and keyboard ----
  function show(view) {
    state.view = view;
    for (const v of ["cards", "station", "campaign"]) {
      $("view-" + v).hidden = v !== view;
      $("tab-" + v).setAttribute("aria-selected", String(v === view));
    }
    if (view === "campaign") loadCampaign();
  }
  for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => show(b.dataset.view));
  document.addEventListener("keydown", (e) => {
    if (e.altKey && ["1", "2", "3"].includes(e.key)) { show(["cards", "station", "campaign"][Number(e.key) - 1]); e.preventDefault(); }
  });

  // ---- token dialog ----
  const dialog = $("token-dialog");
  $("token-button").addEventListener("click", () => { $("token-input").value = ""; dialog.showModal(); $("token-input").focus(); });
  $("token-cancel").addEventListener("click", () => dialog.close());
  $("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    state.token = $("token-input").value.trim();
    if (state.token) sessionStorage.setItem("cccd-console-token", state.token); else sessionStorage.removeItem("cccd-console-token");
    dialog.close();
    reconnect();
  });

  // ---- the state stream (fetch, so the token travels in a header) ----
  let controller = null;
  function setConn(cls, vi, en) { const c = $("connection"); c.className = "conn " + cls; bi(c, { vi: vi, en: en }); }
  function reconnect() { if (controller) controller.abort(); connect(); }
  async function connect() {
    controller = new AbortController();
    const mine = controller;
    try {
      const res = await fetch("/api/events", { headers: headers(false), cache: "no-store", signal: mine.signal });
      if (res.status === 401) {
        setConn("conn-bad", "Cần mã vận hành", "Operator token needed");
        forget();
        dialog.open || dialog.showModal();
        return;
      }
      if (!res.ok || !res.body) throw new Error("HTTP " + res.status);
      setConn("conn-ok", "Đã kết nối", "Connected");
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf("\n\n")) >= 0) {
          const chunk = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = chunk.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
          if (data) render(JSON.parse(data));
        }
      }
      throw new Error("stream ended");
    } catch (err) {
      if (mine.signal.aborted) return;
      setConn("conn-bad", "Mất kết nối — đang thử lại", "Disconnected — retrying");
      forget();
      setTimeout(() => { if (controller === mine) connect(); }, 1000);
    }
  }
  // Without a live connection nothing personal stays on screen.
  function forget() {
    state.last = null;
    for (const p of state.panels.values()) p.root.remove();
    state.panels.clear();
    renderEmpty(true);
  }

  // ---- rendering ----
  function render(s) {
    state.last = s;
    $("simulated-banner").hidden = !s.simulated;
    $("clear-after").textContent = String(s.clearAfter);
    const modeText = s.mode === "station" ? { vi: "Trạm cấp thẻ: " + s.modeName, en: "issuing station " + s.modeName }
      : s.mode === "team" ? { vi: "Đội lưu động: " + s.modeName, en: "mobile team " + s.modeName }
      : { vi: "Bàn kiểm tra thẻ", en: "card check desk" };
    bi($("mode-line"), { vi: modeText.vi + (s.registry ? " · có cơ sở dữ liệu" : " · không nối cơ sở dữ liệu"),
                         en: modeText.en + (s.registry ? ", registry linked" : ", no registry") });
    const fatal = $("fatal");
    fatal.hidden = !s.error;
    if (s.error) bi(fatal, s.error);
    renderReaders(s);
    renderCards(s);
    renderStation(s);
  }

  function statusText(r) {
    const t = {
      idle: ["Chờ thẻ", "waiting for a card"], waitingKey: ["Chờ nhập CAN", "waiting for the CAN"], reading: ["Đang đọc", "reading"],
      done: ["Đã đọc", "read"], failed: ["Lỗi", "failed"], wrongKey: ["Sai CAN", "wrong CAN"], wrongKeyTwice: ["Sai CAN hai lần", "wrong CAN twice"],
      cleared: ["Đã xoá dữ liệu", "data cleared"],
    }[r.status] || [r.status, r.status];
    return { vi: t[0], en: t[1] };
  }

  function renderReaders(s) {
    const list = $("reader-list");
    list.textContent = "";
    $("no-readers").hidden = s.readers.length > 0;
    for (const r of s.readers) {
      const li = el("li");
      li.dataset.reader = r.id;
      const name = el("div", "reader-name");
      const dot = el("span", "dot " + (!r.attached ? "dot-detached" : r.card === "present" ? "dot-present" : r.card === "mute" ? "dot-mute" : ""));
      name.append(dot, document.createTextNode(r.name));
      li.append(name);
      const meta = el("div", "reader-meta");
      const card = !r.attached ? { vi: "đã rút đầu đọc", en: "unplugged" } : r.card === "present" ? { vi: "có thẻ", en: "card present" }
        : r.card === "mute" ? { vi: "thẻ không phản hồi", en: "mute card" } : { vi: "không có thẻ", en: "no card" };
      bi(meta, { vi: card.vi + " · " + (r.profile ? "cấu hình " + r.profile : "không có cấu hình riêng"),
                 en: card.en + ", " + (r.profile ? "profile " + r.profile : "no specific profile") });
      li.append(meta);
      list.append(li);
    }
  }

  function renderEmpty(force) {
    const cards = $("cards");
    let empty = cards.querySelector(".empty-cards");
    const need = force || state.panels.size === 0;
    if (need && !empty) { empty = el("div", "empty-cards"); bi(empty, { vi: "Đặt thẻ lên đầu đọc", en: "Place a card on a reader" }); cards.append(empty); }
    if (!need && empty) empty.remove();
  }

  function panelFor(r, s) {
    let p = state.panels.get(r.id);
    if (p) return p;
    const root = el("article", "card");
    root.dataset.reader = r.id;
    const head = el("div", "card-head");
    const name = el("span", "reader-name", r.name);
    const status = el("span", "status-text");
    head.append(name, status);
    const body = el("div", "card-body");
    const message = el("p", "message");
    const form = el("form", "key-form");
    const label = el("label");
    const input = el("input");
    input.id = "key-" + r.id;
    input.name = "key";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("inputmode", "numeric");
    input.setAttribute("aria-describedby", "msg-" + r.id);
    message.id = "msg-" + r.id;
    label.htmlFor = input.id;
    bi(label, s.mode === "station" && !s.keyFromOperator ? { vi: "Số định danh", en: "ID number" } : { vi: "CAN hoặc MRZ", en: "CAN or MRZ" });
    const go = el("button", null);
    go.type = "submit";
    bi(go, { vi: "Đọc", en: "Read" });
    form.append(label, input, go);
    form.addEventListener("submit", (e) => { e.preventDefault(); submitKey(r.id, input, go); });
    const progress = el("div", "progress");
    const result = el("div", "result");
    body.append(message, form, progress, result);
    root.append(head, body);
    p = { root, status, message, form, input, go, progress, result, resultKey: null, lastStatus: null };
    state.panels.set(r.id, p);
    $("cards").append(root);
    return p;
  }

  async function submitKey(id, input, go) {
    const key = input.value.trim();
    if (!key) return;
    go.disabled = true;
    try {
      const res = await fetch("/api/readers/" + encodeURIComponent(id) + "/key", { method: "POST", headers: headers(true), body: JSON.stringify({ key }), cache: "no-store" });
      if (!res.ok) {
        const body = await res.json().catch(() => ({}));
        const p = state.panels.get(id);
        if (p) { p.message.className = "message bad"; p.message.textContent = body.error || ("HTTP " + res.status); }
      }
    } finally {
      input.value = "";
      go.disabled = false;
    }
  }

  function renderCards(s) {
    const seen = new Set();
    for (const r of s.readers) {
      const show = r.card === "present" || r.card === "mute" || r.result;
      if (!show) continue;
      seen.add(r.id);
      const p = panelFor(r, s);
      bi(p.status, statusText(r));
      p.message.className = "message" + (["wrongKey", "wrongKeyTwice", "failed"].includes(r.status) ? " bad" : "");
      if (r.message) bi(p.message, r.message); else p.message.textContent = "";
      const wantsKey = ["waitingKey", "wrongKey"].includes(r.status);
      p.form.hidden = !wantsKey;
      p.input.classList.toggle("wrong", r.status === "wrongKey");
      if (wantsKey && p.lastStatus !== r.status) {
        // A card arrived (or its CAN was wrong): the field takes the focus, Enter reads.
        p.input.value = "";
        p.input.focus();
      }
      p.lastStatus = r.status;
      renderProgress(p, r.progress);
      renderResult(p, r, s);
    }
    for (const [id, p] of state.panels) {
      if (!seen.has(id)) { p.root.remove(); state.panels.delete(id); }
    }
    // Panels in the readers' order (moved only when out of order: moving a node drops its focus).
    const wanted = s.readers.map((r) => state.panels.get(r.id)).filter((p) => p).map((p) => p.root);
    const current = [...$("cards").querySelectorAll("article.card")];
    if (wanted.some((node, i) => current[i] !== node)) {
      const focused = document.activeElement;
      for (const node of wanted) $("cards").append(node);
      if (focused && focused.isConnected) focused.focus();
    }
    renderEmpty(false);
  }

  function renderProgress(p, pr) {
    p.progress.textContent = "";
    if (!pr) return;
    const line = el("div", "progress-line");
    let text = pr.label.vi + " (" + pr.label.en + ")";
    if (pr.fileNumber) text += " · tệp (file) " + pr.fileNumber + (pr.fileCount ? "/" + pr.fileCount : "") + " " + pr.file;
    text += " · " + pr.bytes.toLocaleString("vi-VN") + " byte";
    line.textContent = text;
    const bar = el("div", "bar");
    const fill = el("span");
    const order = ["accessControl", "chipAuthentication", "readingFile", "passiveAuthentication", "activeAuthentication", "linking"];
    let fraction = (order.indexOf(pr.phase) + 1) / (order.length + 1);
    if (pr.phase === "readingFile" && pr.fileCount) fraction = 0.3 + 0.5 * (pr.fileNumber / pr.fileCount);
    fill.style.width = Math.round(fraction * 100) + "%";
    bar.append(fill);
    p.progress.append(bar, line);
  }

  function renderResult(p, r, s) {
    const key = r.result ? JSON.stringify(r.result) + JSON.stringify(r.station || null) : null;
    if (key === p.resultKey) return;
    p.resultKey = key;
    p.result.textContent = "";
    const v = r.result;
    if (!v) return;
    const banner = el("div", "verdict verdict-" + (v.simulated ? "simulated" : v.verdict));
    banner.id = "verdict-" + r.id;
    banner.dataset.verdict = v.verdict;
    bi(banner, v.verdictLabel);
    if (v.simulated) banner.append(el("span", "sim-tag", "THẺ MÔ PHỎNG (SIMULATED CARD)"));
    p.result.append(banner);
    if (v.registry && v.registry.alerts.length) {
      const box = el("div", "alerts");
      box.setAttribute("role", "alert");
      bi(box, { vi: "CẢNH BÁO", en: "ALERTS" });
      const ul = el("ul");
      for (const a of v.registry.alerts) { const li = bi(el("li"), a.label); li.dataset.code = a.code; ul.append(li); }
      box.append(ul);
      p.result.append(box);
    }
    const person = el("div", "person");
    person.dataset.personal = "1";
    if (v.photoURL) {
      const img = el("img", "photo");
      img.alt = "Ảnh trên chip (photo from the chip)";
      img.src = v.photoURL;
      person.append(img);
    } else {
      person.append(bi(el("div", "photo-note"), v.photoNote || { vi: "Không có ảnh", en: "No photo" }));
    }
    const who = el("div");
    who.append(el("p", "person-name", v.name || "—"));
    const idp = el("p", "person-id", v.idNumber || "—");
    idp.title = "Số định danh (ID number)";
    who.append(idp);
    const dob = el("p", "person-dob");
    dob.append(bi(el("span"), { vi: "Ngày sinh", en: "date of birth" }), document.createTextNode(": " + (v.dateOfBirth || "—")));
    if (v.sex) dob.append(document.createTextNode(" · "), bi(el("span"), { vi: "Giới tính", en: "sex" }), document.createTextNode(": " + v.sex));
    who.append(dob);
    const dl = el("dl", "fields");
    for (const f of v.fields) {
      if (["fullName", "idNumber", "dateOfBirth", "sex"].includes(f.key)) continue;
      dl.append(bi(el("dt"), f.label), el("dd", null, f.value));
    }
    who.append(dl);
    person.append(who);
    p.result.append(person);

    p.result.append(bi(el("h3"), { vi: "Kiểm tra", en: "Checks" }));
    const checks = el("ul", "checks");
    for (const c of v.checks) {
      const ok = ["passed", "trusted", "notSupported"].includes(c.status);
      const li = el("li", c.failing ? "check-bad" : ok ? "check-ok" : "check-warn");
      li.dataset.check = c.key;
      li.dataset.code = c.code;
      li.append(el("span", "check-icon", c.failing ? "✗" : ok ? "✓" : "!"));
      const t = el("span");
      t.append(bi(el("strong"), c.label), document.createTextNode(" — " + c.status + " "), el("span", "check-code", c.code));
      if (c.detail) t.append(el("span", "check-detail", c.detail));
      li.append(t);
      checks.append(li);
    }
    p.result.append(checks);

    if (v.registry) {
      const g = v.registry;
      p.result.append(bi(el("h3"), { vi: "Cơ sở dữ liệu", en: "Registry" }));
      const rd = el("dl", "registry-grid");
      rd.append(bi(el("dt"), { vi: "Công dân", en: "citizen" }), bi(el("dd"), g.citizenLabel));
      if (g.cardStatus) rd.append(bi(el("dt"), { vi: "Trạng thái thẻ", en: "card status" }), el("dd", null, g.cardStatus + " · cấp (issued) " + g.cardIssued + " · chip " + g.chip));
      rd.append(bi(el("dt"), { vi: "VNeID", en: "account" }), el("dd", null, g.vneidStatus ? g.vneidStatus + (g.vneidLevel ? " · mức (level) " + g.vneidLevel : "") + (g.vneidReason ? " · " + g.vneidReason : "") : "—"));
      p.result.append(rd);
      if (g.discrepancies.length) {
        const t = el("table", "discrepancies");
        const hr = el("tr");
        hr.append(bi(el("th"), { vi: "Trường", en: "field" }), bi(el("th"), { vi: "Trên thẻ", en: "card" }), bi(el("th"), { vi: "Trong hồ sơ", en: "record" }));
        t.append(hr);
        for (const d of g.discrepancies) {
          const tr = el("tr");
          tr.append(el("td", null, d.field), el("td", "card-side", d.card || "—"), el("td", null, d.record || "—"));
          t.append(tr);
        }
        p.result.append(t);
      }
    }
    if (r.station && r.station.canHandOver) {
      const b = el("button", "hand-over");
      b.type = "button";
      b.id = "hand-over-" + r.id;
      bi(b, { vi: "Giao thẻ cho công dân", en: "Hand over" });
      b.addEventListener("click", () => handOver(r.id, b));
      p.result.append(b);
    } else if (r.station && r.station.handedOver) {
      p.result.append(bi(el("p", "handed"), { vi: "✓ Đã giao thẻ", en: "handed over" }));
    }
  }

  async function handOver(id, button) {
    if (!state.token) { dialog.showModal(); return; }
    button.disabled = true;
    const res = await fetch("/api/readers/" + encodeURIComponent(id) + "/hand-over", { method: "POST", headers: headers(false), cache: "no-store" });
    if (res.status === 401) { dialog.showModal(); }
    button.disabled = false;
  }

  function renderStation(s) {
    $("station-off").hidden = !!s.station;
    $("station-on").hidden = !s.station;
    if (!s.station) return;
    const t = s.station;
    bi($("station-title"), { vi: "Kiểm tra thẻ đã in — trạm " + t.name, en: "verify printed cards, station " + t.name });
    $("total-verified").textContent = t.verified;
    $("total-reprint").textContent = t.reprint;
    $("total-error").textContent = t.error;
    $("total-handed").textContent = t.handedOver;
    $("total-rate").textContent = t.perMinute.toLocaleString("vi-VN");
    bi($("station-classifier"), { vi: "Phân loại: " + t.classifier, en: "classifier" });
    const body = $("station-rows");
    body.textContent = "";
    for (const r of s.readers) {
      const st = r.station || { verified: 0, reprint: 0, error: 0, perMinute: 0 };
      const tr = el("tr");
      tr.dataset.reader = r.id;
      const last = el("td");
      if (st.last) {
        last.append(bi(el("span", "outcome-" + st.last.kind), st.lastLabel));
        if (st.last.codes.length) last.append(el("div", "check-code", st.last.codes.join(", ")));
      } else last.textContent = "—";
      const hand = el("td");
      if (st.canHandOver) {
        const b = el("button", "hand-over");
        b.type = "button";
        bi(b, { vi: "Giao thẻ", en: "Hand over" });
        b.addEventListener("click", () => handOver(r.id, b));
        hand.append(b);
      } else if (st.handedOver) hand.textContent = "✓";
      tr.append(el("td", null, r.name), last, el("td", "num-verified", st.verified), el("td", "num-reprint", st.reprint),
                el("td", "num-error", st.error), el("td", null, st.perMinute), hand);
      body.append(tr);
    }
  }

  // ---- campaign ----
  async function loadCampaign() {
    const msg = $("campaign-message");
    try {
      const res = await fetch("/api/campaign", { headers: headers(false), cache: "no-store" });
      const c = await res.json();
      msg.hidden = !c.message && res.ok;
      if (c.message) bi(msg, c.message); else if (!res.ok) msg.textContent = c.error || ("HTTP " + res.status);
      const figs = $("campaign-figures");
      figs.textContent = "";
      for (const f of c.figures || []) {
        const d = el("div");
        d.dataset.figure = f.key;
        d.append(bi(el("dt"), f.label), el("dd", null, f.value));
        figs.append(d);
      }
      const charts = $("campaign-charts");
      charts.textContent = "";
      const parser = new DOMParser();
      for (const ch of c.charts || []) {
        const doc = parser.parseFromString(ch.svg, "image/svg+xml");
        const svg = doc.documentElement;
        if (svg.nodeName !== "svg") continue;
        const box = el("div");
        box.dataset.chart = ch.key;
        box.append(document.importNode(svg, true));
        charts.append(box);
      }
    } catch (err) {
      msg.hidden = false;
      msg.textContent = "Không tải được số liệu (could not load the figures)";
    }
  }
  $("campaign-refresh").addEventListener("click", loadCampaign);

  renderEmpty(true);
  connect();
})();
"""#
}
