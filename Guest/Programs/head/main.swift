// head — GNU-compatible head (Guest/Libraries/Utilities/, checked against GNU coreutils by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Head.run($0, $1) }
