extension PageAssets {
    static let html = #"""
<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Trạm đọc thẻ căn cước (Card station console)</title>
<link rel="icon" href="/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header class="top">
  <div class="brand">
    <img src="/icon.svg" alt="" width="40" height="40">
    <div>
      <h1>Trạm đọc thẻ căn cước <span class="en">(Card station console)</span></h1>
      <p id="mode-line" class="mode-line"></p>
    </div>
  </div>
  <nav class="tabs" role="tablist" aria-label="Chế độ xem (Views)">
    <button type="button" role="tab" id="tab-cards" data-view="cards" aria-selected="true" accesskey="1">Thẻ <span class="en">(Cards)</span></button>
    <button type="button" role="tab" id="tab-station" data-view="station" aria-selected="false" accesskey="2">Lô thẻ in <span class="en">(Printed batch)</span></button>
    <button type="button" role="tab" id="tab-campaign" data-view="campaign" aria-selected="false" accesskey="3">Chiến dịch <span class="en">(Campaign)</span></button>
  </nav>
  <div class="conn-box">
    <span id="connection" class="conn conn-wait" role="status">Đang kết nối… <span class="en">(Connecting…)</span></span>
    <button type="button" id="token-button" class="small">Mã vận hành <span class="en">(Operator token)</span></button>
  </div>
</header>
<div id="simulated-banner" class="simulated-banner" hidden>THẺ MÔ PHỎNG — KHÔNG PHẢI THẺ THẬT <span class="en">(SIMULATED CARD — NOT A REAL CARD)</span></div>
<div id="fatal" class="fatal" role="alert" hidden></div>
<main>
  <section id="view-cards" class="view" aria-label="Thẻ (Cards)">
    <aside class="readers" aria-labelledby="readers-title">
      <h2 id="readers-title">Đầu đọc <span class="en">(Readers)</span></h2>
      <ul id="reader-list" class="reader-list"></ul>
      <p id="no-readers" class="hint">Chưa thấy đầu đọc nào. Cắm đầu đọc vào máy. <span class="en">(No reader yet: plug one in.)</span></p>
    </aside>
    <div id="cards" class="cards" aria-live="polite"></div>
  </section>
  <section id="view-station" class="view" aria-label="Lô thẻ in (Printed batch)" hidden>
    <div id="station-off" class="hint">Chế độ trạm cấp thẻ chưa bật: chạy <code>cccd console --station TÊN</code>. <span class="en">(Station mode is off: start with --station NAME.)</span></div>
    <div id="station-on" hidden>
      <h2 id="station-title"></h2>
      <div class="totals">
        <div class="total total-verified"><span class="num" id="total-verified">0</span><span>Đã xác minh <span class="en">(verified)</span></span></div>
        <div class="total total-reprint"><span class="num" id="total-reprint">0</span><span>In lại <span class="en">(reprint)</span></span></div>
        <div class="total total-error"><span class="num" id="total-error">0</span><span>Lỗi <span class="en">(error)</span></span></div>
        <div class="total total-handed"><span class="num" id="total-handed">0</span><span>Đã giao <span class="en">(handed over)</span></span></div>
        <div class="total total-rate"><span class="num" id="total-rate">0</span><span>Thẻ/phút <span class="en">(cards per minute)</span></span></div>
      </div>
      <table class="station-table">
        <thead><tr><th>Đầu đọc <span class="en">(Reader)</span></th><th>Kết quả gần nhất <span class="en">(Last outcome)</span></th><th>Xác minh <span class="en">(Verified)</span></th><th>In lại <span class="en">(Reprint)</span></th><th>Lỗi <span class="en">(Error)</span></th><th>Thẻ/phút <span class="en">(Per min)</span></th><th>Giao thẻ <span class="en">(Hand over)</span></th></tr></thead>
        <tbody id="station-rows"></tbody>
      </table>
      <p id="station-classifier" class="hint"></p>
    </div>
  </section>
  <section id="view-campaign" class="view" aria-label="Chiến dịch (Campaign)" hidden>
    <div class="campaign-head">
      <h2>Tiến độ chiến dịch <span class="en">(Campaign progress)</span></h2>
      <button type="button" id="campaign-refresh" class="small">Làm mới <span class="en">(Refresh)</span></button>
    </div>
    <p id="campaign-message" class="hint" hidden></p>
    <dl id="campaign-figures" class="figures"></dl>
    <div id="campaign-charts" class="charts"></div>
  </section>
</main>
<dialog id="token-dialog">
  <form id="token-form" method="dialog">
    <h2>Mã vận hành <span class="en">(Operator token)</span></h2>
    <p>Cần cho việc giao thẻ và khi truy cập từ máy khác. Lấy bằng lệnh <code>cccd console token</code>. <span class="en">(Needed to hand over cards and from other machines; create it with <code>cccd console token</code>.)</span></p>
    <label for="token-input">Mã <span class="en">(Token)</span></label>
    <input id="token-input" type="password" autocomplete="off" spellcheck="false">
    <div class="dialog-buttons">
      <button type="submit" id="token-save">Lưu <span class="en">(Save)</span></button>
      <button type="button" id="token-cancel" class="small">Huỷ <span class="en">(Cancel)</span></button>
    </div>
  </form>
</dialog>
<footer class="foot">Dữ liệu cá nhân chỉ hiển thị khi thẻ còn trên đầu đọc và tự xoá sau <span id="clear-after">60</span> giây. <span class="en">(Personal data shows only while the card is on the reader and is cleared after that many seconds.)</span> · Phím tắt <span class="en">(keys)</span>: Alt+1/2/3</footer>
</body>
</html>
"""#
}
