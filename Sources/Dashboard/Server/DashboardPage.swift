/// The page: one self-contained HTML file (`Resources/dashboard.html`), compiled into the program.
enum DashboardPage {
    static var bytes: [UInt8] { PackageResources.dashboard_html }

    /// Inline script and style only; data is fetched from this server alone; images are drawn on canvases.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
        + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}
