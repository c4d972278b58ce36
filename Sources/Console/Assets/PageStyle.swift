extension PageAssets {
    /// Large type for arm's length, system fonts only (Vietnamese diacritics render in any of them).
    static let style = #"""
:root {
  --bg: #f3f4f6; --panel: #ffffff; --ink: #111827; --muted: #4b5563; --line: #d1d5db;
  --good: #15803d; --good-bg: #dcfce7; --bad: #b91c1c; --bad-bg: #fee2e2; --warn: #b45309; --warn-bg: #fef3c7;
  --info: #1d4ed8; --info-bg: #dbeafe; --sim: #7c3aed; --sim-bg: #ede9fe; --focus: #f59e0b;
  font-family: "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
  font-size: 18px; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; }
.en { color: var(--muted); font-weight: normal; font-size: 0.85em; }
button { font: inherit; cursor: pointer; border-radius: 8px; border: 2px solid #1f2937; background: #1f2937; color: #fff; padding: 0.45em 1em; }
button.small { background: #fff; color: var(--ink); border-color: var(--line); padding: 0.3em 0.7em; font-size: 0.85em; }
button:disabled { opacity: 0.5; cursor: default; }
:focus-visible { outline: 4px solid var(--focus); outline-offset: 2px; }
code { background: #e5e7eb; padding: 0 0.3em; border-radius: 4px; }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; padding: 0.6rem 1.2rem; background: #7f1d1d; color: #fff; }
.top .en { color: #fecaca; }
.top .conn .en, .top button.small .en { color: inherit; opacity: 0.75; }
.brand { display: flex; align-items: center; gap: 0.8rem; flex: 1 1 auto; }
.brand h1 { font-size: 1.35rem; margin: 0; }
.mode-line { margin: 0.1rem 0 0; font-size: 0.95rem; color: #fee2e2; }
.tabs { display: flex; gap: 0.4rem; }
.tabs button { background: transparent; border-color: #fca5a5; color: #fff; }
.tabs button[aria-selected="true"] { background: #fff; color: #7f1d1d; }
.tabs button[aria-selected="true"] .en { color: #7f1d1d; }
.conn-box { display: flex; align-items: center; gap: 0.5rem; }
.conn { font-size: 0.9rem; padding: 0.25em 0.6em; border-radius: 999px; background: #fff; color: var(--ink); }
.conn-ok { background: var(--good-bg); color: var(--good); }
.conn-wait { background: var(--warn-bg); color: var(--warn); }
.conn-bad { background: var(--bad-bg); color: var(--bad); }
.simulated-banner { background: var(--sim); color: #fff; text-align: center; font-weight: bold; padding: 0.4rem; letter-spacing: 0.05em; }
.simulated-banner .en { color: #ede9fe; }
.fatal { background: var(--bad); color: #fff; padding: 0.8rem 1.2rem; font-size: 1.1rem; }
.fatal .en { color: #fee2e2; }
main { flex: 1; padding: 1rem 1.2rem; }
.view[hidden] { display: none; }
#view-cards { display: grid; grid-template-columns: minmax(220px, 300px) 1fr; gap: 1rem; align-items: start; }
.readers { background: var(--panel); border-radius: 12px; padding: 0.8rem 1rem; border: 1px solid var(--line); }
.readers h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
.reader-list { list-style: none; margin: 0; padding: 0; }
.reader-list li { padding: 0.5rem 0; border-top: 1px solid var(--line); }
.reader-list li:first-child { border-top: none; }
.reader-name { font-weight: bold; word-break: break-word; }
.reader-meta { font-size: 0.85rem; color: var(--muted); }
.dot { display: inline-block; width: 0.7em; height: 0.7em; border-radius: 50%; margin-right: 0.4em; background: #9ca3af; }
.dot-present { background: var(--good); } .dot-mute { background: var(--bad); } .dot-detached { background: #e5e7eb; border: 1px solid #9ca3af; }
.hint { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 1rem; }
.empty-cards { background: var(--panel); border: 2px dashed var(--line); border-radius: 12px; padding: 2rem; text-align: center; font-size: 1.3rem; color: var(--muted); }
.card { background: var(--panel); border-radius: 12px; border: 1px solid var(--line); overflow: hidden; container-type: inline-size; container-name: card; }
.card-head { display: flex; justify-content: space-between; align-items: baseline; gap: 0.5rem; padding: 0.6rem 1rem; background: #f9fafb; border-bottom: 1px solid var(--line); }
.card-head .reader-name { font-size: 1rem; }
.status-text { font-size: 0.9rem; color: var(--muted); }
.card-body { padding: 0.8rem 1rem 1rem; }
.message { font-size: 1.1rem; margin: 0.2rem 0 0.6rem; }
.message.bad { color: var(--bad); font-weight: bold; }
.key-form { display: flex; gap: 0.6rem; align-items: center; flex-wrap: wrap; }
.key-form label { font-weight: bold; }
.key-form input { font: inherit; font-size: 1.8rem; letter-spacing: 0.25em; width: 9.5em; padding: 0.2em 0.4em; border: 3px solid #1f2937; border-radius: 8px; font-family: "DejaVu Sans Mono", monospace; }
.key-form input.wrong { border-color: var(--bad); background: var(--bad-bg); }
.progress { margin: 0.4rem 0; }
.bar { height: 14px; background: #e5e7eb; border-radius: 7px; overflow: hidden; margin: 0.3rem 0; }
.bar > span { display: block; height: 100%; background: var(--info); transition: width 0.15s; }
.progress-line { font-size: 0.95rem; color: var(--muted); }
.verdict { font-size: 2rem; font-weight: 800; text-align: center; padding: 0.5rem; border-radius: 10px; margin-bottom: 0.8rem; color: #fff; letter-spacing: 0.04em; }
.verdict .en { color: #f9fafb; font-size: 0.6em; }
.verdict-genuine { background: var(--good); }
.verdict-rejected { background: var(--bad); }
.verdict-unverified { background: var(--warn); }
.verdict-simulated { background: repeating-linear-gradient(135deg, var(--sim), var(--sim) 18px, #6d28d9 18px, #6d28d9 36px); }
.sim-tag { display: block; font-size: 0.5em; letter-spacing: 0.08em; }
.alerts { background: var(--bad-bg); border: 3px solid var(--bad); color: var(--bad); border-radius: 10px; padding: 0.5rem 0.8rem; margin-bottom: 0.8rem; font-weight: bold; font-size: 1.1rem; }
.alerts ul { margin: 0.2rem 0 0; padding-left: 1.2rem; }
.person { display: grid; grid-template-columns: 150px 1fr; gap: 1rem; align-items: start; }
.photo { width: 150px; height: 190px; display: block; object-fit: cover; border-radius: 8px; border: 1px solid var(--line); background: #e5e7eb; }
.photo-note { width: 150px; height: 190px; display: flex; align-items: center; justify-content: center; text-align: center; font-size: 0.8rem; color: var(--muted); background: #e5e7eb; border-radius: 8px; padding: 0.4rem; }
.person-name { font-size: 1.9rem; font-weight: 800; margin: 0.2rem 0 0.3rem; line-height: 1.15; }
.person-id { font-size: 1.5rem; font-family: "DejaVu Sans Mono", monospace; letter-spacing: 0.06em; margin: 0 0 0.2rem; }
.person-dob { font-size: 1.1rem; margin: 0; }
.fields { display: grid; grid-template-columns: minmax(8em, max-content) 1fr; gap: 0.25rem 1rem; margin: 0.9rem 0 0; font-size: 0.95rem; }
.fields dt { color: var(--muted); }
.fields dd { margin: 0; font-weight: 600; }
h3 { font-size: 1.05rem; margin: 1rem 0 0.4rem; border-bottom: 1px solid var(--line); padding-bottom: 0.2rem; }
.checks { list-style: none; margin: 0; padding: 0; }
.checks li { display: grid; grid-template-columns: 1.6em 1fr; gap: 0.3rem; padding: 0.2rem 0; font-size: 0.95rem; }
.check-icon { font-weight: bold; text-align: center; border-radius: 4px; }
.check-ok .check-icon { color: var(--good); } .check-bad .check-icon { color: #fff; background: var(--bad); } .check-warn .check-icon { color: var(--warn); }
.check-bad { background: var(--bad-bg); }
.check-code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.85rem; }
.check-detail { color: var(--muted); font-size: 0.85rem; display: block; }
.registry-grid { display: grid; grid-template-columns: auto 1fr; gap: 0.2rem 0.8rem; font-size: 0.95rem; }
.registry-grid dt { color: var(--muted); } .registry-grid dd { margin: 0; font-weight: 600; }
.discrepancies { width: 100%; border-collapse: collapse; margin-top: 0.5rem; font-size: 0.95rem; }
.discrepancies th, .discrepancies td { border: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left; }
.discrepancies td.card-side { background: var(--warn-bg); }
.hand-over { margin-top: 0.8rem; background: var(--good); border-color: var(--good); font-size: 1.1rem; }
.handed { color: var(--good); font-weight: bold; margin-top: 0.8rem; }
.totals { display: grid; grid-template-columns: repeat(5, 1fr); gap: 0.8rem; margin-bottom: 1rem; }
.total { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; padding: 0.8rem; display: flex; flex-direction: column; align-items: center; }
.total .num { font-size: 2.6rem; font-weight: 800; }
.total-verified .num { color: var(--good); } .total-reprint .num { color: var(--warn); } .total-error .num { color: var(--bad); } .total-handed .num { color: var(--info); }
.station-table { width: 100%; border-collapse: collapse; background: var(--panel); }
.station-table th, .station-table td { border: 1px solid var(--line); padding: 0.5rem; text-align: left; }
.outcome-verified { color: var(--good); font-weight: bold; } .outcome-reprint { color: var(--warn); font-weight: bold; } .outcome-error { color: var(--bad); font-weight: bold; }
.campaign-head { display: flex; align-items: center; gap: 1rem; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 0.8rem; margin: 0 0 1rem; }
.figures div { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; padding: 0.7rem; }
.figures dt { color: var(--muted); font-size: 0.9rem; }
.figures dd { margin: 0.2rem 0 0; font-size: 1.7rem; font-weight: 800; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
.charts > div { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; padding: 0.5rem; }
svg.chart { font-family: inherit; max-width: 100%; height: auto; }
svg.chart .title { font-size: 17px; font-weight: bold; fill: var(--ink); }
svg.chart .label { font-size: 14px; fill: var(--ink); }
svg.chart .value { font-size: 14px; font-weight: bold; fill: var(--ink); }
svg.chart .big { font-size: 26px; font-weight: 800; fill: var(--ink); }
svg.chart .track { fill: #f3f4f6; }
svg.chart .track-ring { stroke: #e5e7eb; }
svg.chart .fill-ring { stroke: var(--good); }
svg.chart .tone-good { fill: var(--good); } svg.chart .tone-info { fill: var(--info); } svg.chart .tone-warn { fill: var(--warn); }
svg.chart .tone-bad { fill: var(--bad); } svg.chart .tone-muted { fill: #9ca3af; }
svg.chart .grid { stroke: #e5e7eb; stroke-width: 1; } svg.chart .axis { font-size: 12px; fill: #4b5563; }
svg.chart .line { stroke-linejoin: round; stroke-linecap: round; }
svg.chart .series-0 { stroke: #1d4ed8; fill: #1d4ed8; } svg.chart .series-1 { stroke: #b91c1c; fill: #b91c1c; }
svg.chart .series-2 { stroke: #047857; fill: #047857; } svg.chart .series-3 { stroke: #b45309; fill: #b45309; }
svg.chart .series-4 { stroke: #7c3aed; fill: #7c3aed; } svg.chart .series-5 { stroke: #0e7490; fill: #0e7490; }
svg.chart .series-6 { stroke: #be185d; fill: #be185d; } svg.chart .series-7 { stroke: #4b5563; fill: #4b5563; }
svg.chart path.line { fill: none; }
dialog { border: none; border-radius: 12px; padding: 1.2rem; max-width: 32rem; }
dialog input { font: inherit; width: 100%; padding: 0.3em; margin: 0.3rem 0 0.8rem; }
.dialog-buttons { display: flex; gap: 0.6rem; }
.foot { padding: 0.5rem 1.2rem; font-size: 0.85rem; color: var(--muted); border-top: 1px solid var(--line); background: #fff; }
/* A card panel beside another one: the photo floats, the fields take the whole width. */
@container card (max-width: 660px) {
  .person { display: block; }
  .person .photo, .person .photo-note { float: left; width: 112px; height: 142px; margin: 0 1rem 0.5rem 0; }
  .person .fields { clear: both; grid-template-columns: minmax(8em, 42%) 1fr; }
  .person-name { font-size: 1.6rem; }
}
@media (max-width: 900px) { #view-cards { grid-template-columns: 1fr; } .cards { grid-template-columns: 1fr; } .totals { grid-template-columns: repeat(2, 1fr); } }
"""#
}
