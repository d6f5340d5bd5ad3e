// The fixed parts of the page: its policy, style sheet and load check.

extension HTMLReport {
    /// Nothing may be fetched; images only from `data:` URIs, style and script only inline.
    static let contentSecurityPolicy =
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"

    /// Readable on screen, compact on paper: system fonts, zebra tables with numbers right-aligned,
    /// figures that never split across pages.
    static let styleSheet = """
        :root { color-scheme: light; }
        body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
          color: #1b1b1b; background: #ffffff; max-width: 1100px; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
        h1 { font-size: 1.7rem; margin: 0.5rem 0 0.25rem; }
        h2 { font-size: 1.3rem; margin: 2.2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 1px solid #dddddd; }
        h3 { font-size: 1.1rem; margin: 1.6rem 0 0.5rem; }
        h4 { font-size: 1rem; margin: 1.2rem 0 0.4rem; }
        .subtitle { color: #555555; margin-top: 0; }
        nav.contents h2 { font-size: 1.05rem; border: none; margin-top: 1.2rem; }
        nav.contents ul { list-style: none; padding-left: 0; }
        nav.contents li.subsection { padding-left: 1.2rem; font-size: 0.93rem; }
        a { color: #1f5fa8; }
        .table-wrap { overflow-x: auto; margin: 0.8rem 0 1.2rem; }
        table { border-collapse: collapse; font-size: 0.9rem; }
        caption { text-align: left; color: #555555; padding-bottom: 0.3rem; }
        th, td { padding: 0.3rem 0.65rem; text-align: left; vertical-align: top; border-bottom: 1px solid #e3e3e3; }
        th { border-bottom: 2px solid #999999; font-weight: 600; white-space: nowrap; }
        tbody tr:nth-child(even) { background: #f5f7fa; }
        th.number, td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        th.center, td.center { text-align: center; }
        tr.best td { font-weight: 600; background: #fff4c2; }
        figure { margin: 1.2rem 0 1.8rem; break-inside: avoid; page-break-inside: avoid; }
        figure svg, figure img { display: block; max-width: 100%; height: auto; }
        figure img { image-rendering: pixelated; }
        figcaption { font-size: 0.9rem; color: #444444; margin-top: 0.4rem; max-width: 48rem; }
        .figure-number { font-weight: 600; }
        pre { background: #f5f7fa; border: 1px solid #e3e3e3; padding: 0.7rem 0.9rem; overflow-x: auto;
          font-size: 0.85rem; }
        code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10.5pt; }
          a { color: inherit; text-decoration: none; }
          h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
          tbody tr:nth-child(even), tr.best td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          .table-wrap { overflow: visible; }
          pre { white-space: pre-wrap; }
        }
        """

    /// On `load`, checks that every image decoded and every inline SVG has a size, logging
    /// `report: image not loaded: ALT` for each failure, else `report: N images and M figures loaded`.
    static let loadCheckScript = """
        window.addEventListener("load", function () {
          var failures = 0;
          var images = document.querySelectorAll("img");
          var figures = document.querySelectorAll("svg");
          images.forEach(function (image) {
            if (!image.complete || image.naturalWidth === 0) {
              failures += 1;
              console.error("report: image not loaded: " + image.alt);
            }
          });
          figures.forEach(function (figure) {
            var box = figure.getBoundingClientRect();
            if (box.width === 0 || box.height === 0) {
              failures += 1;
              console.error("report: image not loaded: " + (figure.getAttribute("aria-label") || "svg figure"));
            }
          });
          if (failures === 0) {
            console.log("report: " + images.length + " images and " + figures.length + " figures loaded");
          }
        });
        """
}
