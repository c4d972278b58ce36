extension PageAssets {
    /// A card with a chip, in the console's red.
    static let icon = #"""
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect x="4" y="12" width="56" height="40" rx="6" fill="#b3261e"/><rect x="12" y="24" width="14" height="12" rx="2" fill="#f4c542"/><path d="M12 30h14M19 24v12" stroke="#8a6d12" stroke-width="1.5"/><rect x="32" y="24" width="20" height="4" rx="2" fill="#fff"/><rect x="32" y="32" width="14" height="4" rx="2" fill="#fff"/><path d="M46 18l2 4 4 .5-3 3 .8 4-3.8-2-3.8 2 .8-4-3-3 4-.5z" fill="#f4c542"/></svg>
"""#
}
