/// The page and everything it loads, compiled into the binary: the console works offline in the
/// field and loads nothing from anywhere else (no CDN, no web fonts). The HTML holds no script and
/// no style of its own, so the Content-Security-Policy can forbid inline code entirely.
enum PageAssets {}
