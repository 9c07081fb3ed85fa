// du — GNU-compatible du (Guest/Libraries/Utilities/, checked against GNU coreutils by
// Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Du.run($0, $1) }
