// realpath — GNU-compatible realpath (Guest/Libraries/Utilities/, checked against GNU coreutils by
// Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Realpath.run($0, $1) }
