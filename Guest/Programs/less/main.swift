// less — the pager (Guest/Libraries/Utilities/Pager.swift, PagerLines.swift; the terminal in
// UtilitiesGuest/ScreenTerminal.swift): GNU less's keys on a terminal, a copy of the input otherwise.
import UtilitiesGuest

runPager(more: false)
