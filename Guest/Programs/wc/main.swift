// wc — GNU-compatible wc (Guest/Libraries/Utilities/, checked against GNU coreutils by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Wc.run($0, $1) }
